// Everything lives in include/CLinuxShim.h; SwiftPM needs one source file per C target.
#include "CLinuxShim.h"
