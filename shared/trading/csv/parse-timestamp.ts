/**
 * Reads a bar timestamp from a range of a string: an ISO 8601 date or date-time, or epoch milliseconds.
 *
 * Accepted: `2004-08-19`, `2017-04-19 09:00`, `2017-04-19T09:00:00`, `…:00.123`, with an optional `Z`
 * or `±HH:MM` / `±HHMM` / `±HH` offset. A date-time without an offset is UTC (data vendors export
 * exchange or UTC time without saying which; UTC keeps results independent of the machine's zone).
 * A field of digits only (optionally signed) is epoch milliseconds.
 * Hand-written instead of `Date.parse` because that treats naive date-times as local time and accepts
 * many non-ISO forms.
 */
import { isBlank, parseDecimal } from './parse-decimal.js';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const CH_0 = 48;
const CH_9 = 57;

function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i) - CH_0;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Reads `count` digits at `i` as an integer, or -1 when any is not a digit. */
function digitsAt(text: string, i: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const d = digitAt(text, i + k);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH: readonly number[] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Epoch ms of `text[start, end)`, or NaN when it is not an accepted timestamp. */
export function parseTimestamp(text: string, start: number, end: number): number {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start >= end) return NaN;
  // `YYYY-` marks ISO; anything else must be epoch milliseconds.
  if (end - start >= 10 && text.charCodeAt(start + 4) === 45 /* - */) return parseIso(text, start, end);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < CH_0 || c > CH_9) && !(i === start && (c === 45 || c === 43))) return NaN;
  }
  return parseDecimal(text, start, end);
}

function parseIso(text: string, start: number, end: number): number {
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || text.charCodeAt(start + 7) !== 45) return NaN;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays) return NaN;

  let i = start + 10;
  let msOfDay = 0;
  if (i < end) {
    const separator = text.charCodeAt(i);
    if (separator !== 84 /* T */ && separator !== 32 /* space */) return NaN;
    i++;
    if (end - i < 5) return NaN;
    const hour = digitsAt(text, i, 2);
    if (hour < 0 || hour > 23 || text.charCodeAt(i + 2) !== 58 /* : */) return NaN;
    const minute = digitsAt(text, i + 3, 2);
    if (minute < 0 || minute > 59) return NaN;
    i += 5;
    let second = 0;
    let millisecond = 0;
    if (i < end && text.charCodeAt(i) === 58) {
      if (end - i < 3) return NaN;
      second = digitsAt(text, i + 1, 2);
      if (second < 0 || second > 59) return NaN;
      i += 3;
      if (i < end && text.charCodeAt(i) === 46 /* . */) {
        i++;
        const fractionStart = i;
        while (i < end && digitAt(text, i) >= 0) i++;
        const fractionDigits = i - fractionStart;
        if (fractionDigits === 0) return NaN;
        // Milliseconds are the resolution of the series; finer digits are truncated.
        for (let k = 0; k < 3; k++) millisecond = millisecond * 10 + (k < fractionDigits ? digitAt(text, fractionStart + k) : 0);
      }
    }
    msOfDay = hour * 3_600_000 + minute * MS_PER_MINUTE + second * 1000 + millisecond;
    if (i < end) {
      const offsetMinutes = parseOffset(text, i, end);
      if (Number.isNaN(offsetMinutes)) return NaN;
      msOfDay -= offsetMinutes * MS_PER_MINUTE;
      i = end;
    }
  }
  if (i !== end) return NaN;
  return daysFromCivil(year, month, day) * MS_PER_DAY + msOfDay;
}

/** `Z`, `±HH`, `±HHMM` or `±HH:MM` spanning exactly `text[i, end)`; minutes east of UTC, or NaN. */
function parseOffset(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === 90 /* Z */ || c === 122 /* z */) return i + 1 === end ? 0 : NaN;
  if (c !== 43 && c !== 45) return NaN;
  const sign = c === 45 ? -1 : 1;
  const length = end - i - 1;
  const hours = digitsAt(text, i + 1, 2);
  let minutes: number;
  if (length === 2) minutes = 0;
  else if (length === 4) minutes = digitsAt(text, i + 3, 2);
  else if (length === 5 && text.charCodeAt(i + 3) === 58) minutes = digitsAt(text, i + 4, 2);
  else return NaN;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
  return sign * (hours * 60 + minutes);
}
