#pragma once

namespace cohortsim {
const char* engine_version();  // semantic version of the engine
const char* engine_git_sha();  // commit the engine was built from, or "unknown"
}  // namespace cohortsim
