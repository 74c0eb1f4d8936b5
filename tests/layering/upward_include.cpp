// Must not compile: the core layer reaching up into the simulation layer. The ctest
// layering_upward_include_fails builds this against the core layer alone and expects the
// compiler to say that the header is not there (docs/implementation.md, Layout).
#include "replication.hpp"
