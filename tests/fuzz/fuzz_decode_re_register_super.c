// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: the RE_REGISTER_SUPER decoder (see decode_msg.h). */
#define FUZZ_MSG_TYPE N2N_MSG_RE_REGISTER_SUPER
#include "decode_msg.h"
