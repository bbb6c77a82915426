// Runs the shared transport conformance suite against `ws` (standalone server).

import { transportConformance } from '../conformance/index.ts';
import { createTransport } from '../create-transport.ts';

transportConformance('ws', (handlers, options) => createTransport(handlers, { ...options, kind: 'ws' }));
