// WebSocket close codes the transports use (RFC 6455 §7.4.1), named once.

export const CloseCode = {
  normal: 1000,
  goingAway: 1001, // server shutting down
  protocolError: 1002,
  abnormal: 1006, // no close frame (reported, never sent)
  policyViolation: 1008, // send buffer overflow, abuse
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** Close reasons are limited to 123 bytes of UTF-8 by the protocol. */
export function clampReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let r = reason.slice(0, 123);
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}

/** Codes an endpoint may put in a close frame. */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
