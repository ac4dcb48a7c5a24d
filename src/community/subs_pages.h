/* subs_pages: the public pages of alert subscriptions (no cookie, no
 * JavaScript, nothing about the visitor kept but what they ask us to):
 *
 *   GET  /subscribe                 the form: areas (named areas, ZIP codes), email or SMS
 *   POST /subscribe                 by (email|sms), email, phone, area (repeatable), zips
 *                                   -> 303 to /subscribe/sent (email) or /subscribe/code?t= (SMS);
 *                                   400 naming the field; 429 past the limits
 *   GET  /subscribe/sent            "check your email"
 *   GET|POST /subscribe/code        t, code: the SMS code typed on the page
 *   GET|POST /subscribe/confirm     t: the email link's page, and its Confirm button
 *   GET|POST /unsubscribe           id, t: the link in every message; POST deletes (also the
 *                                   one-click POST of RFC 8058, body List-Unsubscribe=One-Click)
 *   POST /subscribe/sms/:secret     the SMS gateway's inbound webhook (Twilio-shaped form: From,
 *                                   Body): STOP words unsubscribe, YES or the code confirms; the
 *                                   path's secret is [subscriptions] sms_inbound_secret, compared
 *                                   in constant time (403 otherwise); the answer is TwiML. */
#ifndef WP_SUBS_PAGES_H
#define WP_SUBS_PAGES_H

#include "http/http.h"

void subs_form_page(request *rq, response *rs);
void subs_form_submit(request *rq, response *rs);
void subs_sent_page(request *rq, response *rs);
void subs_code_page(request *rq, response *rs);
void subs_code_submit(request *rq, response *rs);
void subs_confirm_page(request *rq, response *rs);
void subs_confirm_submit(request *rq, response *rs);
void subs_unsub_page(request *rq, response *rs);
void subs_unsub_submit(request *rq, response *rs);
void subs_sms_inbound(request *rq, response *rs);

#endif
