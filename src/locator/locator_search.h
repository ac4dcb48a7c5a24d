/* locator_search: site search offers the service finder for a place it
 * names (see locator_search.c). */
#ifndef WP_LOCATOR_SEARCH_H
#define WP_LOCATOR_SEARCH_H

#include <stdbool.h>

/* Registers the "search" page hook; false when the hook table is full. */
bool locator_search_register(void);

#endif
