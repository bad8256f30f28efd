import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWeather } from '../../src/forecast/weather.js';
import { UserError } from '../../src/store/errors.js';
import { tempDir } from '../helpers.js';

describe('weather file errors', () => {
  const tmp = tempDir('weisu-weather-file-');
  afterAll(() => tmp.cleanup());
  let n = 0;
  /** Write a weather CSV with these lines and return its path. */
  function csv(...lines: string[]): string {
    const p = join(tmp.dir, `w${++n}.csv`);
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  }
  const header = 'date,temp_mean_c,rain_mm';

  it('reads a good file', () => {
    expect(loadWeather(csv(header, '2024-01-01,1.5,0', '2024-01-02,-2,3.2')).lastDay).toBe('2024-01-02');
  });

  it('names the file, the line and the field of a bad value in one Chinese line', () => {
    let p = csv('day,temp,rain', '2024-01-01,1,0');
    expect(() => loadWeather(p)).toThrow(new UserError(`${p}:1：表头应有 date、temp_mean_c、rain_mm 三列`));
    p = csv(header, '2024-01-01,1,0', '2024/01/02,1,0');
    expect(() => loadWeather(p)).toThrow(new UserError(`${p}:3 字段 date：'2024/01/02' 不是 YYYY-MM-DD 格式的日期`));
    p = csv(header, '2024-01-01,暖,0');
    expect(() => loadWeather(p)).toThrow(new UserError(`${p}:2 字段 temp_mean_c：'暖' 不是数`));
    p = csv(header, '2024-01-01,1,-1');
    expect(() => loadWeather(p)).toThrow(new UserError(`${p}:2 字段 rain_mm：'-1' 不是非负数`));
    p = csv(header);
    expect(() => loadWeather(p)).toThrow(new UserError(`${p}：没有任何天气数据行`));
    p = join(tmp.dir, 'none.csv');
    expect(() => loadWeather(p)).toThrow(new UserError(`配置 forecast 部分：weather 指向的文件不存在：${p}`));
  });
});
