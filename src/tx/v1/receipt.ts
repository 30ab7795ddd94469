// Receipt codes of the version-1 transfer (docs/transactions.md): what applying one
// record gave. The checks run in the order of the codes.

export const Receipt = {
  OK: 0,
  MALFORMED: 1,
  BAD_SIGNATURE: 2,
  UNKNOWN_SENDER: 3,
  BAD_NONCE: 4,
  INSUFFICIENT_FUNDS: 5,
  OVERFLOW: 6,
} as const;
export type ReceiptCode = (typeof Receipt)[keyof typeof Receipt];
export const RECEIPT_NAMES = ['OK', 'MALFORMED', 'BAD_SIGNATURE', 'UNKNOWN_SENDER', 'BAD_NONCE', 'INSUFFICIENT_FUNDS', 'OVERFLOW'] as const;
