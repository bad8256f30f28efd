import { describe, expect, it } from 'vitest';
import { delayWeeks, Relations, scoreBacktest, type WeekOutput } from '../../src/detect/backtest.js';
import type { PlantedEvent, Truth } from '../../src/synth/truth.js';

describe('backtest delay', () => {
  it('counts weekly runs from the first full Monday–Sunday week of the event', () => {
    // 2026-01-10 is a Saturday: its first full week is Jan 12–18, seen by the run of Monday Jan 19
    expect(delayWeeks('2026-01-10', '2026-01-19')).toBe(1);
    expect(delayWeeks('2026-01-10', '2026-01-26')).toBe(2);
    // caught from the two days of its partial first week
    expect(delayWeeks('2026-01-10', '2026-01-12')).toBe(0);
    // a Monday start: the run a week later sees its first full week
    expect(delayWeeks('2026-01-12', '2026-01-19')).toBe(1);
    expect(delayWeeks('2026-01-12', '2026-02-02')).toBe(3);
    // a run on another weekday rounds up to whole weeks
    expect(delayWeeks('2026-01-12', '2026-01-21')).toBe(2);
  });
});

describe('backtest catch rule', () => {
  const rel = new Relations(new Map([['街道1', '第1区']]), '全市');
  const creep: PlantedEvent = {
    id: 'creep',
    kind: 'creeping',
    category: '大类1/小类1',
    leaf: '大类1/小类1/细类1',
    scope: { level: 'district', name: '第1区' },
    start: '2025-06-30',
    end: '2025-09-08',
    magnitude: 0.072,
  };
  const citywide: PlantedEvent = {
    id: 'city',
    kind: 'citywide',
    category: '大类1/小类2',
    scope: { level: 'city', name: '全市' },
    start: '2025-06-14',
    end: '2025-07-26',
    magnitude: 1.5,
  };
  const truth = { city: '全市', events: [creep, citywide] } as unknown as Truth;
  const alert = (category: string, scope: WeekOutput['alerts'][number]['scope']) => ({
    category,
    scope,
    kind: 'spike',
    window_start: '2025-06-30',
    window_end: '2025-07-06',
  });
  const score = (alerts: WeekOutput['alerts']) => {
    const out: WeekOutput = { asOf: '2025-07-07', alerts, units: [] };
    const r = scoreBacktest('m', [out], truth, rel, '2025-06-02', '2025-07-07', 0);
    return Object.fromEntries(r.events.map((e) => [e.id, e.delay_weeks]));
  };

  it('does not credit a creep with an alarm on its 大类 that a city-wide rise in a sibling 中类 also lifts', () => {
    expect(score([alert('大类1', { level: 'district', name: '第1区' })])).toEqual({ creep: null, city: null });
  });

  it('credits an alarm on the event’s own series or below it, whatever else is under way', () => {
    expect(score([alert('大类1/小类1/细类1', { level: 'street', name: '街道1', district: '第1区' })]).creep).toBe(1);
    expect(score([alert('大类1/小类2', { level: 'district', name: '第1区' })]).city).toBe(3);
  });

  it('credits an alarm above the event when no other rise reaches that series', () => {
    const alone = { city: '全市', events: [creep] } as unknown as Truth;
    const out: WeekOutput = {
      asOf: '2025-07-07',
      alerts: [alert('大类1', { level: 'city', name: '全市' })],
      units: [],
    };
    expect(scoreBacktest('m', [out], alone, rel, '2025-06-02', '2025-07-07', 0).events[0].delay_weeks).toBe(1);
  });
});

describe('backtest quiet series', () => {
  const rel = new Relations(new Map([['街道1', '第1区']]), '全市');
  const phrase: PlantedEvent = {
    id: 'phrase',
    kind: 'new_topic',
    category: '大类2/小类1',
    scope: { level: 'city', name: '全市' },
    start: '2025-06-14',
    end: '2025-07-26',
    magnitude: 40,
  };
  const truth = { city: '全市', events: [phrase] } as unknown as Truth;
  const unit = { category: '大类2/小类1', scope: { level: 'street' as const, name: '街道1', district: '第1区' } };
  const out: WeekOutput = {
    asOf: '2025-07-07',
    alerts: [{ ...unit, kind: 'trend', window_start: '2025-05-12', window_end: '2025-07-06' }],
    units: [unit, { category: '大类3', scope: unit.scope }],
  };

  it('keeps a series that a new phrase’s orders lift out of the quiet ones when only count events are scored', () => {
    const r = scoreBacktest('m', [out], truth, rel, '2025-06-02', '2025-07-07', 0, (e) => e.kind !== 'new_topic');
    expect(r.events).toEqual([]);
    expect(r.false_alarms).toMatchObject({ quiet_units: 1, alarms: 0 });
  });

  it('counts the same alarm as false when the phrase is not planted', () => {
    const none = { city: '全市', events: [] } as unknown as Truth;
    expect(scoreBacktest('m', [out], none, rel, '2025-06-02', '2025-07-07', 0).false_alarms).toMatchObject({
      quiet_units: 2,
      alarms: 1,
    });
  });
});
