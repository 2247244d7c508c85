#include "write/writemodel.h"

#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "write/commandidtext.h"
#include "write/handlers/addproducthandler.h"
#include "write/handlers/cancelorderhandler.h"
#include "write/handlers/changeproductpricehandler.h"
#include "write/handlers/commandcontext.h"
#include "write/handlers/discontinueproducthandler.h"
#include "write/handlers/placeorderhandler.h"
#include "write/handlers/productloader.h"
#include "write/handlers/registercustomerhandler.h"
#include "write/handlers/restockproducthandler.h"
#include "write/preparedqueries.h"
#include "write/sqlitestatement.h"
#include "write/writeschema.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <initializer_list>

namespace cqrs {

struct WriteModel::TransactionStatements
{
    explicit TransactionStatements(sqlite3* handle)
        : db(handle)
    {
    }

    sqlite3* db;
    SqliteStatement seen{db, "SELECT result FROM processed_commands WHERE command_id = ?"};
    SqliteStatement savepoint{db, "SAVEPOINT command"};
    SqliteStatement release{db, "RELEASE command"};
    SqliteStatement rollbackTo{db, "ROLLBACK TO command"};
    SqliteStatement commit{db, "COMMIT"};
    SqliteStatement rollback{db, "ROLLBACK"};
    SqliteStatement remember{db, "INSERT INTO processed_commands (command_id, kind, result, "
                                 "processed_at_ms) VALUES (?, ?, ?, ?)"};
};

namespace {

template<class... Handlers>
struct Overloaded : Handlers...
{
    using Handlers::operator()...;
};
template<class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

const SqliteStatement* firstInvalid(std::initializer_list<const SqliteStatement*> statements)
{
    for (const SqliteStatement* statement : statements) {
        if (!statement->isValid())
            return statement;
    }
    return nullptr;
}

// SQLite only notices a foreign file at the first statement and then says
// "file is not a database" without naming it. Checking the header first gives
// a message a person can act on, before SQLite touches the file at all.
// Missing and empty files are fine: SQLite creates the database in them.
QString foreignFileProblem(const QString& path)
{
    QFile file(path);
    if (!file.exists() || file.size() == 0 || !file.open(QIODevice::ReadOnly))
        return {};
    static const QByteArray sqliteHeader("SQLite format 3\0", 16);
    if (file.read(sqliteHeader.size()) == sqliteHeader)
        return {};
    return QStringLiteral("%1 is not a CQRS Lab database (it is not an SQLite file at all). Move it "
                          "away, or choose another data directory with --db-dir.")
        .arg(QFileInfo(path).absoluteFilePath());
}

} // namespace

WriteModel::WriteModel(QString path, JournalMode journal)
    : m_path(std::move(path))
    , m_journal(journal)
{
}

WriteModel::~WriteModel()
{
    m_inlineHook = {}; // it may hold statements on this connection
    m_placeOrder.reset();
    m_statements.reset();
    m_outbox.close();
    m_products.reset();
    m_queries.reset(); // queries go before their connection
    m_connection.reset();
}

QSqlDatabase WriteModel::db() const { return m_connection->db(); }

bool WriteModel::open(QString* error)
{
    if (const QString problem = foreignFileProblem(m_path); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    m_connection = std::make_unique<SqlConnection>(QStringLiteral("write"), m_path,
                                                   SqlConnection::Role::Writer, m_journal);
    // The version first: a newer build's file is refused before the journal switch writes to it.
    const QString path = m_path;
    if (!m_connection->open(error, [path](const QSqlDatabase& db, QString* problem) {
            return WriteSchema::checkVersion(db, path, problem);
        }))
        return false;
    if (!WriteSchema::migrate(m_connection->db(), m_path, error))
        return false;
    sqlite3* handle = SqliteStatement::handleOf(m_connection->db());
    if (!handle) {
        *error = QStringLiteral("Qt's SQLite driver gave no sqlite3 handle for %1.").arg(m_path);
        return false;
    }
    // Same 10 s as the connection's QSQLITE_BUSY_TIMEOUT, in finer steps.
    SqliteStatement::setFineBusyWait(handle, 10'000);
    m_statements = std::make_unique<TransactionStatements>(handle);
    m_outbox.prepare(handle);
    m_placeOrder = std::make_unique<PlaceOrderHandler>(handle);
    const TransactionStatements& s = *m_statements;
    const SqliteStatement* invalid =
        firstInvalid({&s.seen, &s.savepoint, &s.release, &s.rollbackTo, &s.commit, &s.rollback,
                      &m_outbox.statement(), &s.remember});
    if (!invalid)
        invalid = m_placeOrder->invalid();
    if (invalid) {
        *error = QStringLiteral("Cannot prepare a statement on %1: %2").arg(m_path, invalid->error());
        m_placeOrder.reset();
        m_statements.reset();
        m_outbox.close();
        return false;
    }
    m_queries = std::make_unique<PreparedQueries>(*m_connection);
    m_products = std::make_unique<ProductLoader>(*m_queries);
    return loadCounters(error);
}

bool WriteModel::loadCounters(QString* error)
{
    QSqlQuery query(db());
    if (!query.exec(QStringLiteral(
            "SELECT (SELECT COALESCE(MAX(position), 0) FROM events),"
            " (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM products),"
            " (SELECT COUNT(*) FROM orders),"
            " (SELECT COUNT(*) FROM orders WHERE status = 'cancelled')"))
        || !query.next()) {
        *error = QStringLiteral("Cannot read the write store %1: %2")
                     .arg(m_path, query.lastError().text());
        return false;
    }
    m_counters.headPosition = query.value(0).toLongLong();
    m_counters.customers = query.value(1).toLongLong();
    m_counters.products = query.value(2).toLongLong();
    m_counters.orders = query.value(3).toLongLong();
    m_counters.ordersCancelled = query.value(4).toLongLong();
    m_outbox.startAfter(m_counters.headPosition);
    m_tentativeCounters = m_counters;
    return true;
}

bool WriteModel::begin(QString* error)
{
    m_injectedAtBegin = m_injectedFailures;
    m_outbox.begin();
    m_tentativeCounters = m_counters;
    // IMMEDIATE takes the write lock now, so a reader can never make the
    // commit fail half way through a group. Prepared afresh each time: a
    // compiled BEGIN IMMEDIATE locks only the databases attached when it was
    // prepared, and read.db is attached and detached at runtime (synchronous
    // update); left to be locked lazily, mid-transaction, read.db's upgrade
    // can fail with "database is locked" when a projector commits.
    return SqliteStatement(m_statements->db, "BEGIN IMMEDIATE").exec(error);
}

bool WriteModel::commit(QString* error)
{
    if (!m_statements->commit.exec(error)) {
        rollback();
        return false;
    }
    m_outbox.commit();
    m_counters = m_tentativeCounters;
    m_counters.headPosition = m_outbox.head();
    return true;
}

void WriteModel::rollback()
{
    m_statements->rollback.exec(nullptr);
    m_outbox.rollback();
    m_tentativeCounters = m_counters;
}

void WriteModel::rollbackForRetry()
{
    rollback();
    m_injectedFailures = m_injectedAtBegin;
}

CommandResult WriteModel::handle(const Command& command, EventList* appended)
{
    return handle(command, appended, true, nullptr);
}

CommandResult WriteModel::handleUnguarded(const Command& command, bool* mustRedo)
{
    CommandResult result = handle(command, nullptr, false, mustRedo);
    // Some errors (I/O, out of memory) make SQLite roll the whole
    // transaction back, whatever the command's answer says (a failed lookup,
    // or an upkeep statement of the synchronous update whose error is not
    // the command's): every statement after it would commit on its own.
    if (!inTransaction())
        *mustRedo = true;
    return result;
}

bool WriteModel::inTransaction() const
{
    return m_statements && !sqlite3_get_autocommit(m_statements->db);
}

CommandResult WriteModel::handle(const Command& command, EventList* appended, bool guarded,
                                 bool* mustRedo)
{
    const CommandMeta& meta = metaOf(command);
    const CommandIdText commandId(meta.id);
    // Idempotency: a command id seen before gets its first answer again.
    if (std::optional<CommandResult> previous = previousAnswer(commandId))
        return std::move(*previous);

    // What this command changes shows in the connection's change count
    // (every row an INSERT, UPDATE or DELETE wrote, triggers included).
    sqlite3* connection = m_statements->db;
    const sqlite3_int64 changesBefore = sqlite3_total_changes64(connection);
    QString error;
    if (guarded && !m_statements->savepoint.exec(&error))
        return storeFailure(error);
    const WriteCounters countersBefore = m_tentativeCounters;
    const qint64 nowMs = wallNowMs();
    const qint64 nowNs = monotonicNowNs();
    m_outbox.beginCommand(meta, nowMs, nowNs, appended || m_inlineHook);

    CommandContext context{*m_queries, *m_products, m_outbox, m_tentativeCounters, nowMs};
    CommandResult result = dispatch(command, context);
    result.commandId = meta.id;
    if (result.accepted())
        confirm(&result, command, commandId, nowMs);

    if (result.accepted()) {
        if (guarded)
            m_statements->release.exec(nullptr);
        m_tentativeCounters.eventsAppended += m_outbox.eventCount();
        ++m_tentativeCounters.commandsAccepted;
        if (appended)
            appended->append(m_outbox.events());
    } else {
        // Undo everything this command wrote: state, events, idempotency row.
        if (guarded) {
            m_statements->rollbackTo.exec(nullptr);
            m_statements->release.exec(nullptr);
        } else if (sqlite3_total_changes64(connection) != changesBefore) {
            *mustRedo = true; // only the whole transaction can undo it
        }
        m_outbox.dropCommand();
        m_tentativeCounters = countersBefore;
        if (result.status == CommandResult::Status::Rejected)
            ++m_tentativeCounters.commandsRejected;
        else
            ++m_tentativeCounters.commandsFailed;
    }
    return result;
}

std::optional<CommandResult> WriteModel::previousAnswer(const CommandIdText& commandId)
{
    SqliteStatement& seen = m_statements->seen;
    seen.bindText(1, commandId.view());
    switch (seen.step()) {
    case SqliteStatement::Step::Error: {
        const QString error = seen.error();
        seen.reset();
        return storeFailure(error);
    }
    case SqliteStatement::Step::Row: {
        CommandResult previous = CommandResult::fromJson(
            QJsonDocument::fromJson(seen.text(0).toByteArray()).object());
        seen.reset();
        previous.duplicate = true;
        return previous;
    }
    case SqliteStatement::Step::Done:
        break;
    }
    seen.reset();
    return std::nullopt;
}

CommandResult WriteModel::dispatch(const Command& command, CommandContext& context)
{
    return std::visit(
        Overloaded{
            [&](const RegisterCustomer& c) { return RegisterCustomerHandler::handle(c, context); },
            [&](const AddProduct& c) { return AddProductHandler::handle(c, context); },
            [&](const PlaceOrder& c) { return m_placeOrder->handle(c, context); },
            [&](const CancelOrder& c) { return CancelOrderHandler::handle(c, context); },
            [&](const ChangeProductPrice& c) {
                return ChangeProductPriceHandler::handle(c, context);
            },
            [&](const RestockProduct& c) { return RestockProductHandler::handle(c, context); },
            [&](const DiscontinueProduct& c) {
                return DiscontinueProductHandler::handle(c, context);
            },
        },
        command);
}

void WriteModel::confirm(CommandResult* result, const Command& command,
                         const CommandIdText& commandId, qint64 nowMs)
{
    const QUuid id = result->commandId;
    const auto fail = [result, &id](CommandResult failure) {
        *result = std::move(failure);
        result->commandId = id;
    };
    QString error;
    if (m_inlineHook && !m_inlineHook(db(), m_outbox.events(), &error))
        return fail(CommandResult::failed(
            QStringLiteral("The synchronous read-model update failed: %1. Nothing was changed.")
                .arg(error)));
    // SQLite ends the transaction after some I/O errors, in a statement whose
    // error was not the command's. Write nothing more then: each statement
    // would commit on its own.
    if (!inTransaction())
        return fail(storeFailure(QStringLiteral("SQLite ended the transaction")));
    if (m_injectedFailures > 0) {
        --m_injectedFailures;
        return fail(storeFailure(QStringLiteral("injected failure before commit")));
    }
    result->firstPosition = m_outbox.firstPosition();
    result->lastPosition = m_outbox.lastPosition();
    m_answer.resize(0);
    result->appendJson(&m_answer);
    SqliteStatement& remember = m_statements->remember;
    remember.bindText(1, commandId.view())
        .bindText(2, m_commandNames.utf8(commandName(command)))
        .bindText(3, QByteArrayView(m_answer))
        .bind(4, nowMs);
    if (!remember.exec(&error))
        fail(storeFailure(error));
}

// --- Snapshot for simulators and pickers -----------------------------------

CatalogSnapshot WriteModel::catalog()
{
    CatalogSnapshot snapshot;
    QSqlQuery products(db());
    products.setForwardOnly(true);
    if (!products.exec(QStringLiteral("SELECT id, sku, name, category, price_cents, stock, "
                                      "discontinued, version FROM products ORDER BY id"))) {
        snapshot.error = products.lastError().text();
        return snapshot;
    }
    while (products.next())
        snapshot.products.append({products.value(0).toLongLong(), products.value(1).toString(),
                                  products.value(2).toString(), products.value(3).toString(),
                                  products.value(4).toLongLong(), products.value(5).toInt(),
                                  products.value(6).toBool(), products.value(7).toInt()});
    QSqlQuery customers(db());
    customers.setForwardOnly(true);
    if (!customers.exec(QStringLiteral("SELECT id, name, email, city FROM customers ORDER BY id"))) {
        snapshot.error = customers.lastError().text();
        return snapshot;
    }
    while (customers.next())
        snapshot.customers.append({customers.value(0).toLongLong(), customers.value(1).toString(),
                                   customers.value(2).toString(), customers.value(3).toString()});
    return snapshot;
}

} // namespace cqrs
