// webgpu-preexec: the library's public surface.
export { acquireGpu, raceDeviceLoss, GpuUnavailableError, GpuDeviceLostError } from './gpu/device.js';
export type { GpuContext, AdapterReport, AcquireOptions } from './gpu/device.js';
export * from './tx/transaction.js';
export { toHex, fromHex } from './hex.js';
