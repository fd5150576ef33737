import { storeJson } from '../fileModels/store.json'
import { emptyStore } from '../fileModels/storeShape'
import { sdk } from '../sdk'

// A fresh install starts with an empty store so main.ts and the form can read it.
export const seedStore = sdk.setupOnInit(async (effects) => {
  const existing = await storeJson.read().once()
  if (!existing) await storeJson.write(effects, emptyStore)
})
