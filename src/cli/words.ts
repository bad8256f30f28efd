/** A run's status as a person reads it; the JSON documents and the `runs` table keep the codes. */
const STATUS_ZH: Record<string, string> = { ok: '完成', failed: '失败', interrupted: '已中断', running: '运行中' };

export function statusZh(status: string): string {
  return STATUS_ZH[status] ?? status;
}
