/** Durable entity names shared by the functions (clients) and durable (handlers) deployables. */
export const ENTITY = {
  healthProbe: 'healthprobe',
} as const;

export const HEALTH_PROBE_KEY = 'host';

export interface HealthProbeState {
  pings: number;
  lastPingMs: number | null;
}
