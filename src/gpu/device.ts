// Acquiring a GPUDevice wherever the library runs: Node (Dawn, through the
// `webgpu` package) or a browser (`navigator.gpu`). This module knows nothing
// about cryptography; kernels state the limits they need and get a device.
import { errorFirstLine } from '../errors.js';

/** Where SwiftShader's Vulkan driver lives when Debian's `chromium` is installed. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (SwiftShader, llvmpipe, WARP): proves correctness, never GPU speed. */
  isSoftware: boolean;
  /** 'node-dawn' or 'browser'. */
  runtime: 'node-dawn' | 'browser';
  /** Set when this module pointed Vulkan at SwiftShader because no other adapter was found. */
  note?: string;
  hasTimestampQuery: boolean;
}

export interface GpuContext {
  device: GPUDevice;
  adapter: GPUAdapter;
  report: AdapterReport;
  /**
   * Rejects when the device is lost; work in flight races against it so a
   * lost device fails with a clear error instead of hanging.
   */
  lost: Promise<never>;
  destroy(): void;
}

export interface AcquireOptions {
  /** Limits the caller's kernels need, each raised up to what the adapter allows. */
  wantLimits?: Partial<Record<keyof GPUSupportedLimits, number>>;
  /** Ask for timestamp queries if the adapter has them. Default true. */
  timestamps?: boolean;
  powerPreference?: GPUPowerPreference;
}

export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}

export class GpuDeviceLostError extends Error {
  override name = 'GpuDeviceLostError';
}

// Node 21+ defines a `navigator` without `gpu`, so test for Node itself.
const isNode = typeof process !== 'undefined' && !!process.versions?.node
  && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;

/** Node's GPU entry point, created once per process (Dawn keeps global state). */
let nodeGpu: { gpu: GPU; note?: string } | undefined;

async function nodeNavigatorGpu(): Promise<{ gpu: GPU; note?: string }> {
  if (nodeGpu) return nodeGpu;
  const { existsSync, readdirSync } = await import('node:fs');
  let note: string | undefined;
  // Dawn reads VK_ICD_FILENAMES when `create()` runs. On a machine with no GPU
  // device node, Mesa's ICDs find nothing usable (Dawn rejects Debian 12's
  // lavapipe), so SwiftShader, shipped by Debian's chromium, stands in.
  const hasGpuDeviceNode = (existsSync('/dev/dri') && readdirSync('/dev/dri').some((f) => f.startsWith('renderD')))
    || (existsSync('/dev') && readdirSync('/dev').some((f) => /^nvidia\d+$/.test(f)));
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && !hasGpuDeviceNode && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    note = `no GPU device found; using SwiftShader (${SWIFTSHADER_ICD}), a CPU implementation of Vulkan`;
    // SwiftShader's window-system probe prints an error per adapter request
    // when XDG_RUNTIME_DIR is unset; a private empty directory quiets it.
    if (!process.env.XDG_RUNTIME_DIR) {
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'preexec-xdg-'));
    }
  }
  const webgpu = await import('webgpu');
  Object.assign(globalThis, webgpu.globals);
  nodeGpu = { gpu: webgpu.create([]) as unknown as GPU, note };
  return nodeGpu;
}

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/i;

function describeAdapter(adapter: GPUAdapter, runtime: AdapterReport['runtime'], note?: string): AdapterReport {
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const device = info.device ?? '';
  const description = info.description ?? '';
  const isFallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const isSoftware = isFallback || SOFTWARE_NAMES.test(`${vendor} ${architecture} ${device} ${description}`);
  return {
    vendor, architecture, device, description, isSoftware, runtime,
    hasTimestampQuery: adapter.features.has('timestamp-query'),
    ...(note ? { note } : {}),
  };
}

/** Why 'auto' fell back to the CPU when acquireGpu() threw: the first line of its error. */
export function noGpuReason(e: unknown): string {
  return `no GPU: ${errorFirstLine(e)}`;
}

/**
 * Acquires a GPUDevice. Throws GpuUnavailableError (naming what was tried)
 * when there is no adapter at all.
 */
export async function acquireGpu(options: AcquireOptions = {}): Promise<GpuContext> {
  const runtime: AdapterReport['runtime'] = isNode ? 'node-dawn' : 'browser';
  let gpu: GPU | undefined;
  let note: string | undefined;
  if (isNode) {
    ({ gpu, note } = await nodeNavigatorGpu());
  } else {
    gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu) throw new GpuUnavailableError('WebGPU is not available in this browser (navigator.gpu is undefined)');
  }
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter) {
    throw new GpuUnavailableError(isNode
      ? `no WebGPU adapter: Dawn found no Vulkan driver (install Debian's chromium for SwiftShader at ${SWIFTSHADER_ICD}, and libvulkan1)`
      : 'no WebGPU adapter (is --enable-unsafe-webgpu set?)');
  }
  const requiredLimits: Record<string, number> = {};
  for (const [name, wanted] of Object.entries(options.wantLimits ?? {})) {
    const supported = (adapter.limits as unknown as Record<string, number>)[name];
    if (typeof supported !== 'number' || wanted === undefined) continue;
    // "max*" limits are raised up to the adapter's; "min*" alignments are left at their defaults.
    if (name.startsWith('max')) requiredLimits[name] = Math.min(wanted, supported);
  }
  const requiredFeatures: GPUFeatureName[] = [];
  if ((options.timestamps ?? true) && adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  let destroyed = false;
  const lost = device.lost.then((info) => {
    throw new GpuDeviceLostError(destroyed
      ? 'the GPU device was destroyed'
      : `the GPU device was lost (${info.reason}): ${info.message}`);
  });
  lost.catch(() => { /* observed by whoever races against it */ });
  return {
    device,
    adapter,
    report: describeAdapter(adapter, runtime, note),
    lost,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      // Dawn keeps a core busy until the device is destroyed (node-webgpu #17).
      device.destroy();
    },
  };
}

/**
 * Node exits when nothing ref'd is left in its event loop, and a pending
 * Dawn promise (mapAsync, a pipeline compile) holds nothing: a program whose
 * only work in flight is on the GPU (its CPU workers idle, hence unref'd)
 * would exit mid-await with code 0. This holds the process open until
 * `work` settles.
 */
export function holdOpenWhile<T>(work: Promise<T>): Promise<T> {
  if (!isNode) return work;
  const timer = setInterval(() => {}, 2 ** 30);
  return work.finally(() => clearInterval(timer));
}

/** Races `work` against device loss, so a lost device rejects instead of hanging (and Node stays up meanwhile). */
export function raceDeviceLoss<T>(ctx: GpuContext, work: Promise<T>): Promise<T> {
  return holdOpenWhile(Promise.race([work, ctx.lost]));
}
