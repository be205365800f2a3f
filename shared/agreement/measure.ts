/** An agreement value, or null with the reason it is undefined (never NaN). */
export interface Measure {
  value: number | null;
  reason?: string;
}

export const undefinedMeasure = (reason: string): Measure => ({ value: null, reason });

/** A finite number as a measure; anything else (NaN, ±Infinity) becomes null with the reason given. */
export function measure(value: number, reason: string): Measure {
  return Number.isFinite(value) ? { value } : { value: null, reason };
}
