// Runs the shared transport conformance suite against uWebSockets.js.

import { transportConformance } from '../conformance/index.ts';
import { createTransport } from '../create-transport.ts';

transportConformance('uws', (handlers, options) => {
  const t = createTransport(handlers, { ...options, kind: 'uws' });
  if (t.kind !== 'uws') throw new Error('uWebSockets.js did not load on this machine');
  return t;
});
