// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the edge's config file and command line
 * (daemon/conf/conf_file.c, conf_edge.c), through edge_conf_parse_env as
 * main_edge.c calls it. The input's layout is in conf_args.h.
 */
#define FUZZ_CONF  struct edge_conf
#define FUZZ_PARSE edge_conf_parse_env
#define FUZZ_FREE  edge_conf_free
#include "conf_args.h"
