import { setupManifest } from '@start9labs/start-sdk'
import { imageId } from '../constants'

// The build rules (s9pk.mk) take the package id from every line here holding "id"
// followed by a colon, with awk: keep exactly one such line, the one below.
export const manifest = setupManifest({
  id: 'spark-control',
  title: 'Spark Control',
  license: 'MIT',
  packageRepo: 'https://github.com/<owner>/spark-control/tree/main/startos',
  upstreamRepo: 'https://github.com/<owner>/spark-control',
  marketingUrl: 'https://github.com/<owner>/spark-control',
  donationUrl: null,
  description: {
    short: 'Control plane for a small private GPU cluster (DGX Spark and other SSH nodes)',
    long:
      'Spark Control is a gateway and browser dashboard for a small GPU cluster: swap ' +
      'vLLM models with one click, watch the health of every node and service, and give ' +
      'your apps one stable API for chat, speech, embeddings and redaction. It reaches ' +
      'your GPU nodes over SSH; it runs no model itself.',
  },
  volumes: ['main'],
  images: {
    [imageId]: {
      // The image is the Python gateway, built from the repository's own Dockerfile.
      source: { dockerBuild: { workdir: '..', dockerfile: '../Dockerfile' } },
      // DGX Spark is aarch64; x86_64 for every other StartOS server.
      arch: ['aarch64', 'x86_64'],
    },
  },
  dependencies: {},
})
