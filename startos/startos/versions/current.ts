import { IMPOSSIBLE, VersionInfo } from '@start9labs/start-sdk'

// `<product version>:<package revision>`: the product version is the one in the root
// pyproject.toml (a test checks they match); the revision counts package-only changes.
export const current = VersionInfo.of({
  version: '0.1.0:0',
  releaseNotes: {
    en_US: `First release of Spark Control for StartOS.

- The gateway and dashboard on port 9999, with every first-party plugin: vLLM model swaps and the OpenAI-compatible proxy, coordination (swap lease, signed webhooks, schedules), speech, embeddings, redaction and chat-bot tiles.
- A "Configure Sparks" action for the GPU nodes' addresses and SSH users, the vLLM port and container, services to hide, the chat-bot user, the swap webhook, and whether API keys are required.
- "Create API key" and "Revoke API key" actions (the secret is shown once).
- A "Show SSH public key" action: the gateway's own key, to add to each node's authorized_keys.
- Data (database, keys, pinned host keys) on the service volume, included in StartOS backups.`,
  },
  migrations: {
    up: async () => {},
    down: IMPOSSIBLE,
  },
})
