/* A plugin whose kind declares a matrix entry outside its unknowns: the
 * loader must refuse it and say which entry. */
#include <stddef.h>

#include "simcore/device_plugin.h"

static const simcore_matrix_entry kEntries[] = {{0, 0}, {0, 5}};

static void* create(const double* p, char* e, size_t n) { return (void*)kEntries; }
static void destroy(void* i) {}
static void load(const void* i, simcore_load_args* a) {}

static const simcore_device_kind kKind = {
    .struct_size = sizeof(simcore_device_kind),
    .name = "broken",
    .model_type = "broken",
    .terminals = 2,
    .entries = kEntries,
    .num_entries = 2,
    .create = create,
    .destroy = destroy,
    .load = load,
};
static const simcore_device_kind* const kKinds[] = {&kKind};

static const simcore_plugin kPlugin = {
    .abi_version = SIMCORE_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(simcore_plugin),
    .name = "bad-descriptor",
    .version = "0",
    .kinds = kKinds,
    .num_kinds = 1,
};

SIMCORE_PLUGIN_EXPORT const simcore_plugin* simcore_plugin_entry(void) { return &kPlugin; }
