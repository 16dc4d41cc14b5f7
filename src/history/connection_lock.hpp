#pragma once
// One SQLite connection runs one transaction at a time: a statement issued by one thread while
// another thread's transaction is open on the same connection would join that transaction.
// Every history store takes the mutex of its connection, so stores that share a connection
// (History, EventStore, AlertStore, CrowdStore) take turns instead of mixing their work.
// Components outside this folder do not take it: give them their own connection.
#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <mutex>

namespace faro::history {

// The mutex shared by every history store on `db`; it lives while any store holds it.
std::shared_ptr<std::mutex> ConnectionMutex(SQLite::Database& db);

}  // namespace faro::history
