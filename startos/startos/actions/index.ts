import { sdk } from '../sdk'
import { createApiKey, revokeApiKey } from './apiKeys'
import { configureSparks } from './configureSparks'
import { showPublicKey } from './showPublicKey'

export const actions = sdk.Actions.of()
  .addAction(configureSparks)
  .addAction(showPublicKey)
  .addAction(createApiKey)
  .addAction(revokeApiKey)
