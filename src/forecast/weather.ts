import { readFileSync, existsSync } from 'node:fs';
import { UserError } from '../store/errors.js';
import { dayNum, dayStr } from './features.js';

/** Weekly weather regressors, scaled to be of order 1. */
export interface WeekWeather {
  /** Mean heating-degree days per day (base 18 °C) / 10. */
  hdd: number;
  /** Rain of the week, mm / 100. */
  rain: number;
  /** Wettest day of the week, mm / 50 (storms). */
  rainMax: number;
}

export interface WeeklyWeather {
  /**
   * Weather of the week starting at day number w: observed for days before `cutoff` (the forecast origin) that the
   * file holds, otherwise the day-of-year climate — a forecast never sees the weather it is forecasting.
   */
  at(w: number, cutoff: number): WeekWeather;
  lastDay: string;
}

/**
 * Reads `date,temp_mean_c,rain_mm`. Weeks beyond the file (the forecast horizon, unless the city feeds a weather
 * forecast into it) and every day from the forecast origin on use the average of the same calendar days in the years the file covers.
 */
export function loadWeather(file: string): WeeklyWeather {
  if (!existsSync(file)) throw new UserError(`配置 forecast 部分：weather 指向的文件不存在：${file}`);
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const header = lines[0].split(',').map((s) => s.trim());
  const iDate = header.indexOf('date'),
    iTemp = header.indexOf('temp_mean_c'),
    iRain = header.indexOf('rain_mm');
  if (iDate < 0 || iTemp < 0 || iRain < 0) throw new UserError(`${file}:1：表头应有 date、temp_mean_c、rain_mm 三列`);
  const byDay = new Map<number, { t: number; r: number }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const f = line.split(',');
    const date = f[iDate]?.trim() ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new UserError(`${file}:${i + 1} 字段 date：'${date}' 不是 YYYY-MM-DD 格式的日期`);
    const t = Number(f[iTemp]),
      r = Number(f[iRain]);
    if (!Number.isFinite(t)) throw new UserError(`${file}:${i + 1} 字段 temp_mean_c：'${f[iTemp]}' 不是数`);
    if (!Number.isFinite(r) || r < 0) throw new UserError(`${file}:${i + 1} 字段 rain_mm：'${f[iRain]}' 不是非负数`);
    byDay.set(dayNum(date), { t, r });
  }
  if (byDay.size === 0) throw new UserError(`${file}：没有任何天气数据行`);
  const climate = new Map<string, { t: number; r: number; n: number }>();
  for (const [d, v] of byDay) {
    const key = dayStr(d).slice(5);
    const c = climate.get(key) ?? { t: 0, r: 0, n: 0 };
    c.t += v.t;
    c.r += v.r;
    c.n++;
    climate.set(key, c);
  }
  const day = (d: number, cutoff: number): { t: number; r: number } => {
    const v = d < cutoff ? byDay.get(d) : undefined;
    if (v) return v;
    const c = climate.get(dayStr(d).slice(5)) ?? climate.get('02-28')!;
    return { t: c.t / c.n, r: c.r / c.n };
  };
  const lastDay = dayStr(Math.max(...byDay.keys()));
  return {
    lastDay,
    at(w: number, cutoff: number): WeekWeather {
      let hdd = 0,
        rain = 0,
        rainMax = 0;
      for (let d = w; d < w + 7; d++) {
        const v = day(d, cutoff);
        hdd += Math.max(0, 18 - v.t);
        rain += v.r;
        rainMax = Math.max(rainMax, v.r);
      }
      return { hdd: hdd / 7 / 10, rain: rain / 100, rainMax: rainMax / 50 };
    },
  };
}
