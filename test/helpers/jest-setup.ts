// n8n-core logs every node error through its own logger; the tests assert on those errors, so the log is only noise.
process.env.N8N_LOG_LEVEL = 'silent';
