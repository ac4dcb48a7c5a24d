/* staff_cmd: the staff commands: `waypost user add|list|disable|enable|
 * role|reset|two-factor-off` and `waypost token add|list|revoke`. They act
 * as "cli" in the audit log. */
#ifndef WP_STAFF_CMD_H
#define WP_STAFF_CMD_H

#include "core/cli.h"

int staff_cmd_user_add(const config *cfg, const cli_args *a);
int staff_cmd_user_list(const config *cfg, const cli_args *a);
int staff_cmd_user_disable(const config *cfg, const cli_args *a);
int staff_cmd_user_enable(const config *cfg, const cli_args *a);
int staff_cmd_user_role(const config *cfg, const cli_args *a);
int staff_cmd_user_reset(const config *cfg, const cli_args *a);
int staff_cmd_user_totp_off(const config *cfg, const cli_args *a);
int staff_cmd_token_add(const config *cfg, const cli_args *a);
int staff_cmd_token_list(const config *cfg, const cli_args *a);
int staff_cmd_token_revoke(const config *cfg, const cli_args *a);

#endif
