/** A run's status as a person reads it; the JSON documents and the `runs` table keep the codes. */
const STATUS_ZH: Record<string, string> = { ok: '完成', failed: '失败', interrupted: '已中断', running: '运行中' };

export function statusZh(status: string): string {
  return STATUS_ZH[status] ?? status;
}

/** A forecast model as the text table names it; `--json` keeps the code (blend, ets …). */
const MODEL_ZH: Record<string, string> = {
  blend: '组合预测',
  combo: '组合预测',
  comb_sa: '组合预测',
  direct: '回归预测',
  glm: '回归预测',
  ets: '指数平滑',
  ets_log: '指数平滑',
  theta: '指数平滑',
  snaive: '去年同期',
  snaive_growth: '去年同期',
  mean: '近期均值',
  rate: '日均折算',
  zero: '无工单',
};

export function modelZh(model: string): string {
  return MODEL_ZH[model] ?? model;
}
