// Endpoint handlers, grouped by topic. Each parses its request, calls the library and returns the
// answer; errors are thrown as ApiError.
#pragma once

#include "server/service.hpp"

namespace clearance::server {

namespace ops {
Answer healthz(Call& c);
Answer readyz(Call& c);
Answer metrics(Call& c);
Answer openapi(Call& c);
Answer me(Call& c);
Answer audit_record(Call& c);
Answer audit_replay(Call& c);
}  // namespace ops

namespace decide {
Answer classify(Call& c);
Answer check(Call& c);
}  // namespace decide

namespace screen {
Answer one(Call& c);
int batch(Call& c, Responder& out);
Answer compare(Call& c);
Answer lists(Call& c);
Answer entry(Call& c);
}  // namespace screen

namespace catalogue {
Answer items(Call& c);
Answer rules(Call& c);
}  // namespace catalogue

namespace cases {
Answer list(Call& c);
Answer show(Call& c);
Answer decide(Call& c);
Answer approve(Call& c);
Answer policy(Call& c);
}  // namespace cases

namespace data {
Answer impact(Call& c);
Answer import_list(Call& c);
Answer update_lists(Call& c);
}  // namespace data

namespace jobs {
Answer create(Call& c);
Answer show(Call& c);
Answer result(Call& c);
}  // namespace jobs

namespace compat {
Answer yente_match(Call& c);
Answer watchman_search(Call& c);
}  // namespace compat

// The OpenAPI 3.1 document (src/server/openapi.json, compiled in).
const std::string& openapi_document();

}  // namespace clearance::server
