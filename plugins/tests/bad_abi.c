/* A plugin built for another ABI version: the loader must refuse it. */
#include "simcore/device_plugin.h"

static const simcore_plugin kPlugin = {
    .abi_version = SIMCORE_PLUGIN_ABI_VERSION + 41,
    .struct_size = sizeof(simcore_plugin),
    .name = "bad-abi",
    .version = "0",
    .kinds = 0,
    .num_kinds = 0,
};

SIMCORE_PLUGIN_EXPORT const simcore_plugin* simcore_plugin_entry(void) { return &kPlugin; }
