#pragma once

namespace repl::storage {

class Connection;

inline constexpr int SchemaVersion = 5;

// Creates the tables on a new file and migrates older ones. Runs on the writer connection.
void ensureSchema(Connection &conn);

} // namespace repl::storage
