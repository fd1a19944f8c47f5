/* A shared library without simcore_plugin_entry. */
#include "simcore/device_plugin.h"

SIMCORE_PLUGIN_EXPORT int some_other_function(void) { return 42; }
