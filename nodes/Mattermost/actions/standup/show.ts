/** Shows a field for the standup operations named. */
export const ops = (...operation: string[]) => ({ show: { resource: ['standup'], operation } });
