export { mattermostIncomingWebhookTest, mattermostInteractionSecret } from '../../shared/credential-tests';
export { mattermostDevopsRedisTest } from '../../shared/store';
