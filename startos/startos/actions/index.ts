import { sdk } from '../sdk'
import { configureSparks } from './configureSparks'
import { showPublicKey } from './showPublicKey'

export const actions = sdk.Actions.of().addAction(configureSparks).addAction(showPublicKey)
