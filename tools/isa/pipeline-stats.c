// pipeline-stats: compiles one SPIR-V compute shader with the Vulkan driver the
// loader picks (for bench:isa, Mesa's RADV on a null device: RADV_FORCE_FAMILY)
// and prints what the driver reports about the result, one "name<TAB>value"
// line each: the pipeline executable's statistics
// (VK_KHR_pipeline_executable_properties), its subgroup size, and the
// milliseconds vkCreateComputePipelines took (the back-end compile).
//
//   pipeline-stats FILE.spv ENTRY [SET:BINDING:KIND ...]   KIND: s storage buffer, u uniform buffer
//
// Built by tools/isa/isa.ts with `gcc ... -lvulkan`. Exit 1 with a message on
// stderr when any Vulkan call fails; 2 on bad arguments.
#include <vulkan/vulkan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SETS 4
#define MAX_BINDINGS 16

static void check(VkResult r, const char *what) {
  if (r != VK_SUCCESS) {
    fprintf(stderr, "pipeline-stats: %s failed (VkResult %d)\n", what, (int)r);
    exit(1);
  }
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint32_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "pipeline-stats: cannot open %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (n <= 0 || n % 4 != 0) { fprintf(stderr, "pipeline-stats: %s is not SPIR-V (%ld bytes)\n", path, n); exit(2); }
  uint32_t *words = malloc((size_t)n);
  if (!words || fread(words, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "pipeline-stats: cannot read %s\n", path); exit(2); }
  fclose(f);
  *size = (size_t)n;
  return words;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: pipeline-stats FILE.spv ENTRY [SET:BINDING:KIND ...]  (KIND: s storage, u uniform)\n");
    return 2;
  }
  // Descriptor set layouts from the arguments: the shader's real bindings.
  VkDescriptorSetLayoutBinding bindings[MAX_SETS][MAX_BINDINGS];
  uint32_t counts[MAX_SETS] = { 0 };
  uint32_t sets = 1;
  for (int i = 3; i < argc; i++) {
    unsigned set, binding;
    char kind;
    if (sscanf(argv[i], "%u:%u:%c", &set, &binding, &kind) != 3 || set >= MAX_SETS || counts[set] >= MAX_BINDINGS || (kind != 's' && kind != 'u')) {
      fprintf(stderr, "pipeline-stats: bad binding %s (expected SET:BINDING:s|u, set < %d)\n", argv[i], MAX_SETS);
      return 2;
    }
    bindings[set][counts[set]++] = (VkDescriptorSetLayoutBinding){
      binding, kind == 's' ? VK_DESCRIPTOR_TYPE_STORAGE_BUFFER : VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, NULL };
    if (set + 1 > sets) sets = set + 1;
  }
  size_t size;
  uint32_t *code = read_file(argv[1], &size);

  VkApplicationInfo app = { .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO, .pApplicationName = "pipeline-stats", .apiVersion = VK_API_VERSION_1_3 };
  VkInstanceCreateInfo ici = { .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, .pApplicationInfo = &app };
  VkInstance instance;
  check(vkCreateInstance(&ici, NULL, &instance), "vkCreateInstance");
  uint32_t ndev = 1;
  VkPhysicalDevice phys;
  VkResult er = vkEnumeratePhysicalDevices(instance, &ndev, &phys);
  if ((er != VK_SUCCESS && er != VK_INCOMPLETE) || ndev == 0) { fprintf(stderr, "pipeline-stats: no Vulkan device\n"); return 1; }
  VkPhysicalDeviceDriverProperties driver = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES };
  VkPhysicalDeviceProperties2 props = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &driver };
  vkGetPhysicalDeviceProperties2(phys, &props);
  printf("Device\t%s\n", props.properties.deviceName);
  printf("Driver\t%s %s\n", driver.driverName, driver.driverInfo);

  float priority = 1;
  VkDeviceQueueCreateInfo qci = { .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, .queueCount = 1, .pQueuePriorities = &priority };
  VkPhysicalDevicePipelineExecutablePropertiesFeaturesKHR exec_features = {
    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PIPELINE_EXECUTABLE_PROPERTIES_FEATURES_KHR, .pipelineExecutableInfo = VK_TRUE };
  // Tint's SPIR-V declares the Vulkan memory model.
  VkPhysicalDeviceVulkan12Features features12 = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, .pNext = &exec_features,
    .vulkanMemoryModel = VK_TRUE, .vulkanMemoryModelDeviceScope = VK_TRUE };
  const char *extensions[] = { "VK_KHR_pipeline_executable_properties" };
  VkDeviceCreateInfo dci = { .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .pNext = &features12, .queueCreateInfoCount = 1,
    .pQueueCreateInfos = &qci, .enabledExtensionCount = 1, .ppEnabledExtensionNames = extensions };
  VkDevice device;
  check(vkCreateDevice(phys, &dci, NULL, &device), "vkCreateDevice");

  VkShaderModuleCreateInfo smci = { .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = code };
  VkShaderModule module;
  check(vkCreateShaderModule(device, &smci, NULL, &module), "vkCreateShaderModule");
  VkDescriptorSetLayout layouts[MAX_SETS];
  for (uint32_t s = 0; s < sets; s++) {
    VkDescriptorSetLayoutCreateInfo dl = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = counts[s], .pBindings = bindings[s] };
    check(vkCreateDescriptorSetLayout(device, &dl, NULL, &layouts[s]), "vkCreateDescriptorSetLayout");
  }
  VkPipelineLayoutCreateInfo plci = { .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, .setLayoutCount = sets, .pSetLayouts = layouts };
  VkPipelineLayout layout;
  check(vkCreatePipelineLayout(device, &plci, NULL, &layout), "vkCreatePipelineLayout");

  VkComputePipelineCreateInfo cpci = {
    .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
    .flags = VK_PIPELINE_CREATE_CAPTURE_STATISTICS_BIT_KHR,
    .stage = { .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, .stage = VK_SHADER_STAGE_COMPUTE_BIT, .module = module, .pName = argv[2] },
    .layout = layout,
  };
  VkPipeline pipeline;
  double t0 = now_ms();
  check(vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &cpci, NULL, &pipeline), "vkCreateComputePipelines");
  printf("Compile ms\t%.1f\n", now_ms() - t0);

  PFN_vkGetPipelineExecutablePropertiesKHR get_props = (PFN_vkGetPipelineExecutablePropertiesKHR)vkGetDeviceProcAddr(device, "vkGetPipelineExecutablePropertiesKHR");
  PFN_vkGetPipelineExecutableStatisticsKHR get_stats = (PFN_vkGetPipelineExecutableStatisticsKHR)vkGetDeviceProcAddr(device, "vkGetPipelineExecutableStatisticsKHR");
  if (!get_props || !get_stats) { fprintf(stderr, "pipeline-stats: the driver lacks VK_KHR_pipeline_executable_properties\n"); return 1; }
  VkPipelineInfoKHR pinfo = { .sType = VK_STRUCTURE_TYPE_PIPELINE_INFO_KHR, .pipeline = pipeline };
  uint32_t nexec = 1;
  VkPipelineExecutablePropertiesKHR exec = { .sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_PROPERTIES_KHR };
  er = get_props(device, &pinfo, &nexec, &exec);
  if ((er != VK_SUCCESS && er != VK_INCOMPLETE) || nexec == 0) { fprintf(stderr, "pipeline-stats: no pipeline executable\n"); return 1; }
  printf("Subgroup size\t%u\n", exec.subgroupSize);

  VkPipelineExecutableInfoKHR einfo = { .sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_INFO_KHR, .pipeline = pipeline, .executableIndex = 0 };
  uint32_t nstats = 0;
  check(get_stats(device, &einfo, &nstats, NULL), "vkGetPipelineExecutableStatisticsKHR");
  VkPipelineExecutableStatisticKHR *stats = calloc(nstats, sizeof *stats);
  for (uint32_t i = 0; i < nstats; i++) stats[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_STATISTIC_KHR;
  check(get_stats(device, &einfo, &nstats, stats), "vkGetPipelineExecutableStatisticsKHR");
  for (uint32_t i = 0; i < nstats; i++) {
    switch (stats[i].format) {
      case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_BOOL32_KHR: printf("%s\t%u\n", stats[i].name, stats[i].value.b32); break;
      case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_INT64_KHR: printf("%s\t%lld\n", stats[i].name, (long long)stats[i].value.i64); break;
      case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_UINT64_KHR: printf("%s\t%llu\n", stats[i].name, (unsigned long long)stats[i].value.u64); break;
      case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_FLOAT64_KHR: printf("%s\t%g\n", stats[i].name, stats[i].value.f64); break;
      default: break;
    }
  }
  free(stats);
  vkDestroyPipeline(device, pipeline, NULL);
  vkDestroyPipelineLayout(device, layout, NULL);
  for (uint32_t s = 0; s < sets; s++) vkDestroyDescriptorSetLayout(device, layouts[s], NULL);
  vkDestroyShaderModule(device, module, NULL);
  vkDestroyDevice(device, NULL);
  vkDestroyInstance(instance, NULL);
  free(code);
  return 0;
}
