const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2})))?$/;

export type InstantResult = { readonly instant: string } | { readonly problem: string };

/**
 * An RFC 3339 date-time, or a date alone (what Meltano's `date_iso8601` setting kind gives) taken as
 * midnight UTC, as a strict RFC 3339 instant (`T` and `Z` upper case, which Date.parse needs).
 * Calendar fields are checked one by one because Date.parse rolls 2024-02-30 over to March 1st.
 * @example normalizeInstant('2024-01-01') // { instant: '2024-01-01T00:00:00Z' }
 * @example normalizeInstant('2023-02-29') // { problem: '2023-02 has no day 29' }
 */
export function normalizeInstant(text: string): InstantResult {
  const match = DATE_TIME.exec(text);
  if (!match) return { problem: 'such as 2024-01-01T00:00:00Z or 2024-01-01' };
  const [, year = '', month = '', day = '', hour, minute = '', second = '', fraction = '', zone = '', offsetHour, offsetMinute = ''] = match as Array<string | undefined>;
  const y = Number(year);
  const m = Number(month);
  if (m < 1 || m > 12) return { problem: `month ${month} does not exist` };
  if (Number(day) < 1 || Number(day) > daysIn(y, m)) return { problem: `${year}-${month} has no day ${day}` };
  if (hour === undefined) return { instant: `${year}-${month}-${day}T00:00:00Z` };
  if (Number(hour) > 23) return { problem: `hour ${hour} does not exist` };
  if (Number(minute) > 59) return { problem: `minute ${minute} does not exist` };
  if (Number(second) > 59) return { problem: `second ${second} does not exist (leap seconds are not supported)` };
  if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) return { problem: `offset ${zone} does not exist` };
  return { instant: `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.toUpperCase()}` };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
