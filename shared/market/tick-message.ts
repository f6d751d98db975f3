/**
 * What a market group (`md.{exchange}.{symbol}`) carries: one coalesced tick per message, at most
 * the gateway's per-market rate. Browser-safe (zod only) so dashboards can validate what they get.
 */
import { z } from 'zod';

export const tickMessageSchema = z.object({
  type: z.literal('tick'),
  /** `{exchange}:{symbol}`. */
  market: z.string(),
  /** Exchange time of the latest trade. */
  timeMs: z.number(),
  price: z.number(),
  /** High, low, volume and number of the trades this tick coalesces. */
  high: z.number(),
  low: z.number(),
  volume: z.number(),
  trades: z.number().int(),
  /** The 1m bar in progress, for live charts: [openTimeMs, open, high, low, close, volume]. */
  bar: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]).optional(),
  /** Gateway clock when it published the tick. */
  sentMs: z.number(),
});
export type TickMessage = z.infer<typeof tickMessageSchema>;
