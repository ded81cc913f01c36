/**
 * Seeded synthetic group-chat activity with the shape of a real intermittent chat: a daily cycle
 * in local time, a weekly rhythm, a slowly drifting level, long quiet holidays, and conversations
 * that arrive in clusters (each conversation can spark follow-ups — a discrete Hawkes process)
 * and carry a heavy-tailed number of messages, so most hours are empty and a few hold bursts of
 * dozens. Defaults are tuned to the reference chat (≈9,646 hours, ≈73% empty, peak ≈94/h).
 */
import { Rng } from "../util/random.js";
import type { MessageRecord } from "./types.js";
import { addDays, localParts, zonedMidnight } from "./zone.js";

export interface ActivityOptions {
  seed?: number;
  /** First local date. */
  firstDay?: string;
  days?: number;
  zone?: string;
  chatId?: string;
  members?: number;
  /** Expected conversation starts per hour at the daily peak on a weekday at level 1. */
  peakStartsPerHour?: number;
  /** Expected follow-up conversations sparked by one conversation (< 1 keeps the process stable). */
  branching?: number;
  /** Mean delay of a follow-up conversation, hours. */
  followUpDelayHours?: number;
  /** Log-normal conversation size: median messages and log-scale spread. */
  sizeMedian?: number;
  sizeSigma?: number;
  /** Upper bound on one conversation's messages. */
  maxSize?: number;
  /** Mean conversation duration, minutes. */
  durationMinutes?: number;
  /** Quiet periods: number of holidays and their length range in days. */
  holidays?: number;
  holidayDays?: [number, number];
  /** Activity multiplier during a holiday. */
  holidayLevel?: number;
  /** Day-to-day log-level innovation (AR(1), coefficient 0.97). */
  levelDrift?: number;
  /** Relative conversation rate by local hour, 24 values (peak 1). */
  daily?: readonly number[];
  /** Relative rate by local weekday, Sunday first, 7 values. */
  weekly?: readonly number[];
}

const DEFAULTS: Required<ActivityOptions> = {
  seed: 7,
  firstDay: "2023-01-02",
  days: 402,
  zone: "Europe/Berlin",
  chatId: "synthetic-chat",
  members: 60,
  peakStartsPerHour: 0.5,
  branching: 0.45,
  followUpDelayHours: 1.5,
  sizeMedian: 2.8,
  sizeSigma: 1.3,
  maxSize: 95,
  durationMinutes: 35,
  holidays: 2,
  holidayDays: [6, 16],
  holidayLevel: 0.2,
  levelDrift: 0.08,
  daily: [
    0.1, 0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.85, 0.85, 0.9, 0.95, 1, 1,
    0.95, 0.9, 0.75, 0.5, 0.25,
  ],
  weekly: [0.45, 1, 1, 0.95, 1, 0.9, 0.55],
};

/**
 * Chats unlike each other, to choose defaults on (never on one series): the reference chat and
 * variants that are sparser or busier, night-owl and weekend chats, one without a weekly rhythm,
 * one with small calm conversations and one with a strongly drifting level. Each has its own seed.
 */
export function activityFamily(): { name: string; options: ActivityOptions }[] {
  const night = DEFAULTS.daily.map((_, h) => DEFAULTS.daily[(h + 10) % 24]!);
  return [
    { name: "reference", options: {} },
    { name: "sparse", options: { seed: 11, peakStartsPerHour: 0.12, zone: "UTC" } },
    { name: "busy", options: { seed: 12, peakStartsPerHour: 2, branching: 0.3, zone: "America/New_York" } },
    { name: "night-owls", options: { seed: 13, daily: night, zone: "Asia/Tokyo" } },
    { name: "weekend", options: { seed: 14, weekly: [1, 0.35, 0.3, 0.3, 0.35, 0.6, 1] } },
    { name: "no-week", options: { seed: 15, weekly: [1, 1, 1, 1, 1, 1, 1], holidays: 0, zone: "UTC" } },
    {
      name: "calm",
      options: { seed: 16, sizeMedian: 1.5, sizeSigma: 0.5, peakStartsPerHour: 1, branching: 0.2 },
    },
    { name: "drifting", options: { seed: 17, levelDrift: 0.25, holidays: 4, zone: "UTC" } },
  ];
}

export interface GeneratedActivity {
  /** Messages sorted by time, message ids ascending from 1. */
  messages: MessageRecord[];
  /** Unix seconds of the first day's local midnight, and the hour count covered. */
  start: number;
  hours: number;
  options: Required<ActivityOptions>;
}

export function generateActivity(options: ActivityOptions = {}): GeneratedActivity {
  const o = { ...DEFAULTS, ...options };
  const rng = new Rng(o.seed);
  const start = zonedMidnight(o.firstDay, o.zone);
  const end = zonedMidnight(addDays(o.firstDay, o.days), o.zone);
  const hours = Math.round((end - start) / 3600);
  const dayLevel = dailyLevels(rng, o);
  const memberWeights = zipfCumulative(o.members);

  // Exogenous conversation starts per hour, then clustered follow-ups (queued by start time).
  const starts: number[] = [];
  let dayOfHour = 0;
  let nextMidnight = zonedMidnight(addDays(o.firstDay, 1), o.zone);
  for (let h = 0; h < hours; h++) {
    const t = start + 3600 * h;
    while (t >= nextMidnight) {
      dayOfHour++;
      nextMidnight = zonedMidnight(addDays(o.firstDay, dayOfHour + 1), o.zone);
    }
    const local = localParts(t, o.zone);
    const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
    const rate = o.peakStartsPerHour * o.daily[local.hour]! * o.weekly[weekday]! * dayLevel[dayOfHour]!;
    for (let c = rng.poisson(rate); c > 0; c--) starts.push(t + 3600 * rng.next());
  }
  const conversations: number[] = [];
  while (starts.length > 0) {
    const s = starts.pop()!;
    conversations.push(s);
    for (let c = rng.poisson(o.branching); c > 0; c--) {
      const child = s - 3600 * o.followUpDelayHours * Math.log(1 - rng.next());
      if (child < end) starts.push(child);
    }
  }
  conversations.sort((a, b) => a - b);

  const timed: { t: number; sender: number }[] = [];
  for (const s of conversations) {
    const size = Math.min(
      o.maxSize,
      Math.max(1, Math.round(o.sizeMedian * Math.exp(o.sizeSigma * rng.normal()))),
    );
    const duration = -60 * o.durationMinutes * Math.log(1 - rng.next()) * (size / o.sizeMedian) ** 0.25;
    const participants = [
      pickMember(rng, memberWeights),
      pickMember(rng, memberWeights),
      pickMember(rng, memberWeights),
    ];
    for (let m = 0; m < size; m++) {
      const t = Math.floor(s + duration * rng.next());
      if (t < end) timed.push({ t, sender: participants[rng.int(participants.length)]! });
    }
  }
  timed.sort((a, b) => a.t - b.t);
  const messages = timed.map(
    ({ t, sender }, i): MessageRecord => ({
      chatId: o.chatId,
      messageId: i + 1,
      timestamp: t,
      senderId: `user${1000 + sender}`,
    }),
  );
  return { messages, start, hours, options: o };
}

/** Day multipliers: a slow log-normal drift times quiet holidays. */
function dailyLevels(rng: Rng, o: Required<ActivityOptions>): Float64Array {
  const level = new Float64Array(o.days + 1);
  let log = 0;
  for (let d = 0; d <= o.days; d++) {
    log = 0.97 * log + o.levelDrift * rng.normal();
    level[d] = Math.exp(log);
  }
  for (let k = 0; k < o.holidays; k++) {
    const [lo, hi] = o.holidayDays;
    const length = lo + rng.int(hi - lo + 1);
    const first = rng.int(Math.max(1, o.days - length));
    for (let d = first; d < first + length && d <= o.days; d++) level[d]! *= o.holidayLevel;
  }
  return level;
}

function zipfCumulative(n: number): Float64Array {
  const c = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) c[i] = s += 1 / (i + 1);
  for (let i = 0; i < n; i++) c[i]! /= s;
  return c;
}

function pickMember(rng: Rng, cumulative: Float64Array): number {
  const u = rng.next();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
