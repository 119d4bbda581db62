/* SPDX-License-Identifier: MIT */
/*
 * playground.c: the static HTML pages of playground.h. The landing page
 * loads nothing from the network.
 */
#include "core/compat.h"
#include "graphql/playground.h"

const char *
gql_landing_html(void)
{
	return "<!DOCTYPE html>\n"
	       "<html lang=\"en\">\n"
	       "<head>\n"
	       "<meta charset=\"utf-8\" />\n"
	       "<title>Apollo Server</title>\n"
	       "<meta name=\"viewport\" content=\"width=device-width, "
	       "initial-scale=1\" />\n"
	       "</head>\n"
	       "<body>\n"
	       "<h1>Welcome to the GraphQL endpoint</h1>\n"
	       "<p>Send GraphQL operations to this URL with POST (JSON body "
	       "<code>{\"query\": ...}</code>) or GET "
	       "(<code>?query=...</code> with an "
	       "<code>apollo-require-preflight</code> header).</p>\n"
	       "</body>\n"
	       "</html>\n";
}
