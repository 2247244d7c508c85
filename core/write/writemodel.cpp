#include "write/writemodel.h"

#include "events/jsonwriter.h"
#include "util/money.h"
#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "write/sqlitestatement.h"
#include "write/writeschema.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QThread>
#include <QVarLengthArray>

#include <sqlite3.h>

namespace cqrs {

struct WriteModel::Outcome
{
    /// Filled only when someone needs the events as values (the caller of
    /// handle() or the inline hook); the store always gets them.
    bool keepEvents = false;
    EventList events;
    qint64 firstPosition = 0;
    qint64 lastPosition = 0;
    qint64 eventCount = 0;
    qint64 nowMs = 0;
    qint64 nowNs = 0;
};

struct WriteModel::HotStatements
{
    explicit HotStatements(sqlite3* handle)
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
    SqliteStatement insertEvent{
        db, "INSERT INTO events (position, type, aggregate_id, payload, committed_at_ms, "
            "committed_mono_ns, command_id, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
    SqliteStatement remember{db, "INSERT INTO processed_commands (command_id, kind, result, "
                                 "processed_at_ms) VALUES (?, ?, ?, ?)"};
    // PlaceOrder
    SqliteStatement customerName{db, "SELECT name FROM customers WHERE id = ?"};
    SqliteStatement product{db, "SELECT sku, name, category, price_cents, stock, discontinued "
                                "FROM products WHERE id = ?"};
    SqliteStatement insertOrder{db, "INSERT INTO orders (customer_id, status, placed_at_ms, "
                                    "total_cents) VALUES (?, 'placed', ?, ?)"};
    SqliteStatement insertLine{db, "INSERT INTO order_lines (order_id, line_no, product_id, "
                                   "quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)"};
    SqliteStatement takeStock{db, "UPDATE products SET stock = stock - ? WHERE id = ?"};

    /// The first statement that did not prepare, or nullptr.
    const SqliteStatement* invalid() const
    {
        for (const SqliteStatement* statement :
             {&seen, &savepoint, &release, &rollbackTo, &commit, &rollback, &insertEvent, &remember,
              &customerName, &product, &insertOrder, &insertLine, &takeStock}) {
            if (!statement->isValid())
                return statement;
        }
        return nullptr;
    }
};

struct WriteModel::Product
{
    qint64 id = 0;
    QString sku;
    QString name;
    QString category;
    qint64 priceCents = 0;
    int stock = 0;
    bool discontinued = false;
    int version = 1;
};

namespace {

const QString internalFailure = QStringLiteral("The write store failed: %1. Nothing was changed.");

/// A command id as QUuid::toString(QUuid::WithoutBraces) writes it, on the
/// stack (it is bound twice per command).
class CommandIdText
{
public:
    explicit CommandIdText(const QUuid& id)
    {
        static constexpr char digits[] = "0123456789abcdef";
        char* out = m_text;
        const auto hex = [&out](quint64 value, int nibbles) {
            for (int shift = 4 * (nibbles - 1); shift >= 0; shift -= 4)
                *out++ = digits[(value >> shift) & 0xf];
        };
        hex(id.data1, 8);
        *out++ = '-';
        hex(id.data2, 4);
        *out++ = '-';
        hex(id.data3, 4);
        *out++ = '-';
        hex(id.data4[0], 2);
        hex(id.data4[1], 2);
        *out++ = '-';
        for (int i = 2; i < 8; ++i)
            hex(id.data4[i], 2);
    }
    QByteArrayView view() const { return QByteArrayView(m_text, sizeof m_text); }

private:
    char m_text[36];
};

// A null QString binds as SQL NULL, which the NOT NULL text columns refuse;
// optional text (a customer's e-mail or city) is stored as '' instead.
QString textOrEmpty(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
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

QString lineField(qsizetype index, const char* part)
{
    return QStringLiteral("line:%1:%2").arg(index).arg(QLatin1StringView(part));
}

} // namespace

WriteModel::WriteModel(QString path, JournalMode journal)
    : m_path(std::move(path))
    , m_journal(journal)
{
}

WriteModel::~WriteModel()
{
    m_inlineHook = {};     // it may hold statements on this connection
    m_hot.reset();
    m_statements.clear(); // queries go before their connection
    m_failedStatement.reset();
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
    if (!m_connection->open(error))
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
    m_hot = std::make_unique<HotStatements>(handle);
    if (const SqliteStatement* invalid = m_hot->invalid()) {
        *error = QStringLiteral("Cannot prepare a statement on %1: %2").arg(m_path, invalid->error());
        m_hot.reset();
        return false;
    }
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
    m_committedHead = m_tentativeHead = m_counters.headPosition;
    m_tentativeCounters = m_counters;
    return true;
}

QSqlQuery& WriteModel::prepared(const QString& sql)
{
    std::shared_ptr<QSqlQuery>& query = m_statements[sql];
    if (!query) {
        auto fresh = std::make_shared<QSqlQuery>(db());
        // A statement that failed to prepare is not kept: its exec() reports
        // the error now, and the next call prepares it again.
        if (!fresh->prepare(sql)) {
            m_failedStatement = std::move(fresh);
            m_statements.remove(sql);
            return *m_failedStatement;
        }
        query = std::move(fresh);
    }
    return *query;
}

bool WriteModel::run(QSqlQuery& query, QString* error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

bool WriteModel::begin(QString* error)
{
    m_injectedAtBegin = m_injectedFailures;
    m_tentativeHead = m_committedHead;
    m_tentativeCounters = m_counters;
    m_uncommittedEvents.clear();
    // IMMEDIATE takes the write lock now, so a reader can never make the
    // commit fail half way through a group.
    // Prepared afresh each time, unlike the other statements: a compiled
    // BEGIN IMMEDIATE locks the databases attached when it was prepared, and
    // read.db is attached and detached at runtime (synchronous update). A
    // stale one left read.db to be locked lazily, mid-transaction, where a
    // projector's commit made the upgrade fail with "database is locked".
    return SqliteStatement(m_hot->db, "BEGIN IMMEDIATE").exec(error);
}

bool WriteModel::commit(QString* error)
{
    if (!m_hot->commit.exec(error)) {
        rollback();
        return false;
    }
    m_committedHead = m_tentativeHead;
    m_counters = m_tentativeCounters;
    m_counters.headPosition = m_committedHead;
    m_committedEvents = std::exchange(m_uncommittedEvents, {});
    return true;
}

void WriteModel::rollback()
{
    m_hot->rollback.exec(nullptr);
    m_tentativeHead = m_committedHead;
    m_tentativeCounters = m_counters;
    m_uncommittedEvents.clear();
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
    return m_hot && !sqlite3_get_autocommit(m_hot->db);
}

CommandResult WriteModel::handle(const Command& command, EventList* appended, bool guarded,
                                 bool* mustRedo)
{
    const CommandMeta& meta = metaOf(command);
    const CommandIdText commandId(meta.id);
    QString error;

    // Idempotency: a command id seen before gets its first answer again.
    SqliteStatement& seen = m_hot->seen;
    seen.bindText(1, commandId.view());
    switch (seen.step()) {
    case SqliteStatement::Step::Error:
        error = seen.error();
        seen.reset();
        return CommandResult::failed(internalFailure.arg(error));
    case SqliteStatement::Step::Row: {
        CommandResult previous = CommandResult::fromJson(
            QJsonDocument::fromJson(seen.text(0).toByteArray()).object());
        seen.reset();
        previous.duplicate = true;
        return previous;
    }
    case SqliteStatement::Step::Done:
        seen.reset();
        break;
    }

    // What this command changes shows in the connection's change count
    // (every row an INSERT, UPDATE or DELETE wrote, triggers included).
    const sqlite3_int64 changesBefore = sqlite3_total_changes64(m_hot->db);
    if (guarded && !m_hot->savepoint.exec(&error))
        return CommandResult::failed(internalFailure.arg(error));
    const qint64 headBefore = m_tentativeHead;
    const WriteCounters countersBefore = m_tentativeCounters;
    const qsizetype storedBefore = m_uncommittedEvents.size();

    Outcome outcome;
    outcome.keepEvents = appended || m_inlineHook;
    outcome.nowMs = wallNowMs();
    outcome.nowNs = monotonicNowNs();
    CommandResult result = std::visit([&](const auto& c) { return apply(c, outcome); }, command);
    result.commandId = meta.id;

    if (result.accepted() && m_inlineHook && !m_inlineHook(db(), outcome.events, &error)) {
        result = CommandResult::failed(
            QStringLiteral("The synchronous read-model update failed: %1. Nothing was changed.")
                .arg(error));
        result.commandId = meta.id;
    }
    if (result.accepted() && !inTransaction()) {
        // SQLite ended the transaction (some I/O errors do, in a statement
        // whose error was not the command's). Write nothing more: each
        // statement would commit on its own.
        result = CommandResult::failed(
            internalFailure.arg(QStringLiteral("SQLite ended the transaction")));
        result.commandId = meta.id;
    }
    if (result.accepted() && m_injectedFailures > 0) {
        --m_injectedFailures;
        result = CommandResult::failed(
            internalFailure.arg(QStringLiteral("injected failure before commit")));
        result.commandId = meta.id;
    }
    if (result.accepted()) {
        result.firstPosition = outcome.firstPosition;
        result.lastPosition = outcome.lastPosition;
        m_answer.resize(0);
        result.appendJson(&m_answer);
        SqliteStatement& remember = m_hot->remember;
        remember.bindText(1, commandId.view())
            .bindText(2, utf8Name(commandName(command)))
            .bindText(3, QByteArrayView(m_answer))
            .bind(4, outcome.nowMs);
        if (!remember.exec(&error)) {
            result = CommandResult::failed(internalFailure.arg(error));
            result.commandId = meta.id;
        }
    }

    if (result.accepted()) {
        if (guarded)
            m_hot->release.exec(nullptr);
        m_tentativeCounters.eventsAppended += outcome.eventCount;
        ++m_tentativeCounters.commandsAccepted;
        if (appended)
            appended->append(outcome.events);
    } else {
        // Undo everything this command wrote: state, events, idempotency row.
        if (guarded) {
            m_hot->rollbackTo.exec(nullptr);
            m_hot->release.exec(nullptr);
        } else if (sqlite3_total_changes64(m_hot->db) != changesBefore) {
            *mustRedo = true; // only the whole transaction can undo it
        }
        m_tentativeHead = headBefore;
        m_tentativeCounters = countersBefore;
        m_uncommittedEvents.resize(storedBefore);
        if (result.status == CommandResult::Status::Rejected)
            ++m_tentativeCounters.commandsRejected;
        else
            ++m_tentativeCounters.commandsFailed;
    }
    return result;
}

bool WriteModel::appendEvent(EventType type, qint64 aggregateId, const CommandMeta& meta,
                             Outcome& outcome, QString* error)
{
    const qint64 position = m_tentativeHead + 1;
    const CommandIdText commandId(meta.id);
    SqliteStatement& insert = m_hot->insertEvent;
    insert.bind(1, position)
        .bindText(2, utf8Name(eventTypeName(type)))
        .bind(3, aggregateId)
        .bindText(4, QByteArrayView(m_payload))
        .bind(5, outcome.nowMs)
        .bind(6, outcome.nowNs)
        .bindText(7, commandId.view())
        .bindText(8, utf8Name(originName(meta.origin)));
    if (!insert.exec(error))
        return false;
    m_tentativeHead = position;
    if (outcome.firstPosition == 0)
        outcome.firstPosition = position;
    outcome.lastPosition = position;
    ++outcome.eventCount;
    if (m_keepStored) {
        StoredEvent& stored = m_uncommittedEvents.emplace_back();
        stored.position = position;
        stored.type = type;
        stored.aggregateId = aggregateId;
        stored.payload = m_payload; // a copy: m_payload is reused
        stored.payload.detach();
        stored.committedAtMs = outcome.nowMs;
        stored.committedMonoNs = outcome.nowNs;
        stored.commandId = meta.id;
        stored.origin = meta.origin;
    }
    if (outcome.keepEvents) {
        Event event;
        event.position = position;
        event.type = type;
        event.aggregateId = aggregateId;
        event.payload = QJsonDocument::fromJson(m_payload).object();
        event.committedAtMs = outcome.nowMs;
        event.committedMonoNs = outcome.nowNs;
        event.commandId = meta.id;
        event.origin = meta.origin;
        outcome.events.append(std::move(event));
    }
    return true;
}

QByteArrayView WriteModel::utf8Name(const QString& name)
{
    auto known = m_utf8Names.constFind(name);
    if (known == m_utf8Names.cend())
        known = m_utf8Names.insert(name, name.toUtf8());
    // The bytes live on the heap: a rehash moves the QByteArray, not them.
    return *known;
}

std::optional<WriteModel::Product> WriteModel::loadProduct(qint64 id, QString* error)
{
    QSqlQuery& query = prepared(QStringLiteral(
        "SELECT id, sku, name, category, price_cents, stock, discontinued, version "
        "FROM products WHERE id = ?"));
    query.addBindValue(id);
    if (!run(query, error) || !query.next()) {
        query.finish();
        return std::nullopt;
    }
    Product product{query.value(0).toLongLong(), query.value(1).toString(),
                    query.value(2).toString(),   query.value(3).toString(),
                    query.value(4).toLongLong(), query.value(5).toInt(),
                    query.value(6).toBool(),     query.value(7).toInt()};
    query.finish();
    return product;
}

std::optional<CommandResult> WriteModel::rejectStaleVersion(const Product& product,
                                                            std::optional<int> expected) const
{
    if (!expected || *expected == product.version)
        return std::nullopt;
    return CommandResult::rejected(
        QStringLiteral("%1 was changed by someone else since you loaded it (it is now at version "
                       "%2, you saw version %3). Reload it and try again.")
            .arg(product.name)
            .arg(product.version)
            .arg(*expected),
        QStringLiteral("version"));
}

// --- RegisterCustomer ------------------------------------------------------

CommandResult WriteModel::apply(const RegisterCustomer& command, Outcome& outcome)
{
    const QString name = command.name.simplified();
    const QString email = command.email.trimmed();
    const QString city = command.city.simplified();
    if (name.isEmpty())
        return CommandResult::rejected(QStringLiteral("The customer's name is empty."),
                                       QStringLiteral("name"));
    if (name.size() > Limits::maxNameLength)
        return CommandResult::rejected(
            QStringLiteral("The name is too long (%1 characters; at most %2).")
                .arg(name.size())
                .arg(Limits::maxNameLength),
            QStringLiteral("name"));
    if (!email.isEmpty()
        && (!email.contains(u'@') || email.contains(u' ') || email.startsWith(u'@')
            || email.endsWith(u'@') || email.size() > 254))
        return CommandResult::rejected(QStringLiteral("\"%1\" is not an email address.").arg(email),
                                       QStringLiteral("email"));

    QString error;
    QSqlQuery& insert = prepared(QStringLiteral(
        "INSERT INTO customers (name, email, city, registered_at_ms) VALUES (?, ?, ?, ?)"));
    insert.addBindValue(name);
    insert.addBindValue(textOrEmpty(email));
    insert.addBindValue(textOrEmpty(city));
    insert.addBindValue(outcome.nowMs);
    if (!run(insert, &error))
        return CommandResult::failed(internalFailure.arg(error));
    const qint64 id = insert.lastInsertId().toLongLong();
    m_payload.resize(0);
    JsonWriter(&m_payload)
        .beginObject()
        .key("city").value(city)
        .key("customerId").value(id)
        .key("email").value(email)
        .key("name").value(name)
        .key("registeredAtMs").value(outcome.nowMs)
        .endObject();
    if (!appendEvent(EventType::CustomerRegistered, id, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    ++m_tentativeCounters.customers;
    return CommandResult::acceptedFor(id);
}

// --- AddProduct ------------------------------------------------------------

CommandResult WriteModel::apply(const AddProduct& command, Outcome& outcome)
{
    const QString sku = command.sku.trimmed();
    const QString name = command.name.simplified();
    const QString category = command.category.simplified();
    if (sku.isEmpty())
        return CommandResult::rejected(QStringLiteral("The SKU is empty."), QStringLiteral("sku"));
    if (name.isEmpty())
        return CommandResult::rejected(QStringLiteral("The product name is empty."),
                                       QStringLiteral("name"));
    if (name.size() > Limits::maxNameLength)
        return CommandResult::rejected(
            QStringLiteral("The product name is too long (at most %1 characters).")
                .arg(Limits::maxNameLength),
            QStringLiteral("name"));
    if (category.isEmpty())
        return CommandResult::rejected(QStringLiteral("The category is empty."),
                                       QStringLiteral("category"));
    if (command.priceCents <= 0)
        return CommandResult::rejected(QStringLiteral("The price must be more than 0.00."),
                                       QStringLiteral("price"));
    if (command.priceCents > Limits::maxPriceCents)
        return CommandResult::rejected(QStringLiteral("%1 is above the price limit of %2.")
                                           .arg(formatCents(command.priceCents),
                                                formatCents(Limits::maxPriceCents)),
                                       QStringLiteral("price"));
    if (command.stock < 0 || command.stock > Limits::maxRestockQuantity)
        return CommandResult::rejected(QStringLiteral("The opening stock must be 0 to %1.")
                                           .arg(Limits::maxRestockQuantity),
                                       QStringLiteral("quantity"));
    QString error;
    QSqlQuery& taken = prepared(QStringLiteral("SELECT name FROM products WHERE sku = ?"));
    taken.addBindValue(sku);
    if (!run(taken, &error))
        return CommandResult::failed(internalFailure.arg(error));
    if (taken.next()) {
        const QString owner = taken.value(0).toString();
        taken.finish();
        return CommandResult::rejected(
            QStringLiteral("SKU %1 is already used by %2.").arg(sku, owner), QStringLiteral("sku"));
    }
    taken.finish();

    QSqlQuery& insert = prepared(QStringLiteral(
        "INSERT INTO products (sku, name, category, price_cents, stock) VALUES (?, ?, ?, ?, ?)"));
    insert.addBindValue(sku);
    insert.addBindValue(name);
    insert.addBindValue(category);
    insert.addBindValue(command.priceCents);
    insert.addBindValue(command.stock);
    if (!run(insert, &error))
        return CommandResult::failed(internalFailure.arg(error));
    const qint64 id = insert.lastInsertId().toLongLong();
    m_payload.resize(0);
    JsonWriter(&m_payload)
        .beginObject()
        .key("category").value(category)
        .key("name").value(name)
        .key("priceCents").value(command.priceCents)
        .key("productId").value(id)
        .key("sku").value(sku)
        .key("stock").value(command.stock)
        .key("version").value(1)
        .endObject();
    if (!appendEvent(EventType::ProductAdded, id, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    ++m_tentativeCounters.products;
    return CommandResult::acceptedFor(id);
}

// --- PlaceOrder ------------------------------------------------------------

CommandResult WriteModel::apply(const PlaceOrder& command, Outcome& outcome)
{
    // The hottest command, so it runs on the C API statements alone and
    // writes its event payload while it checks the lines: names go from
    // SQLite's UTF-8 straight into the JSON, without a QString in between.
    QString error;
    if (command.customerId <= 0)
        return CommandResult::rejected(QStringLiteral("Choose a customer for the order."),
                                       QStringLiteral("customer"));

    // Keys in QJsonObject's (sorted) order; see JsonWriter.
    m_payload.resize(0);
    JsonWriter json(&m_payload);
    json.beginObject().key("customerId").value(command.customerId);
    {
        SqliteStatement& customer = m_hot->customerName;
        customer.bind(1, command.customerId);
        const SqliteStatement::Step step = customer.step();
        if (step == SqliteStatement::Step::Error) {
            error = customer.error();
            customer.reset();
            return CommandResult::failed(internalFailure.arg(error));
        }
        if (step == SqliteStatement::Step::Done) {
            customer.reset();
            return CommandResult::rejected(
                QStringLiteral("There is no customer #%1.").arg(command.customerId),
                QStringLiteral("customer"));
        }
        json.key("customerName").valueUtf8(customer.text(0));
        customer.reset();
    }
    if (command.lines.isEmpty())
        return CommandResult::rejected(QStringLiteral("An order needs at least one line."),
                                       QStringLiteral("lines"));
    if (command.lines.size() > Limits::maxLinesPerOrder)
        return CommandResult::rejected(
            QStringLiteral("An order can have at most %1 lines; this one has %2.")
                .arg(Limits::maxLinesPerOrder)
                .arg(command.lines.size()),
            QStringLiteral("lines"));

    struct LinePrice
    {
        qint64 productId;
        qint64 unitPriceCents;
    };
    QVarLengthArray<LinePrice, Limits::maxLinesPerOrder> prices;
    qint64 totalCents = 0;
    json.key("lines").beginArray();
    SqliteStatement& product = m_hot->product;
    for (qsizetype i = 0; i < command.lines.size(); ++i) {
        const OrderLineRequest& line = command.lines.at(i);
        product.bind(1, line.productId);
        const SqliteStatement::Step step = product.step();
        if (step != SqliteStatement::Step::Row) {
            if (step == SqliteStatement::Step::Error) {
                error = product.error();
                product.reset();
                return CommandResult::failed(internalFailure.arg(error));
            }
            product.reset();
            return CommandResult::rejected(
                QStringLiteral("There is no product #%1.").arg(line.productId),
                lineField(i, "product"));
        }
        // Columns: sku, name, category, price_cents, stock, discontinued.
        const qint64 priceCents = product.int64(3);
        const qint64 stock = product.int64(4);
        const auto rejected = [&](const QString& reason, const char* part) {
            product.reset();
            return CommandResult::rejected(reason, lineField(i, part));
        };
        const auto name = [&product] { return QString::fromUtf8(product.text(1)); };
        if (line.quantity <= 0)
            return rejected(QStringLiteral("The quantity of %1 must be at least 1.").arg(name()),
                            "quantity");
        if (line.quantity > Limits::maxQuantityPerLine)
            return rejected(QStringLiteral("At most %1 × %2 per line; this line asks for %3.")
                                .arg(Limits::maxQuantityPerLine)
                                .arg(name())
                                .arg(line.quantity),
                            "quantity");
        if (product.int64(5) != 0)
            return rejected(
                QStringLiteral("%1 is discontinued and can no longer be ordered.").arg(name()),
                "product");
        if (line.shownUnitPriceCents && *line.shownUnitPriceCents != priceCents) {
            CommandResult stale =
                rejected(QStringLiteral("The price of %1 changed from %2 to %3.")
                             .arg(name(), formatCents(*line.shownUnitPriceCents),
                                  formatCents(priceCents)),
                         "price");
            stale.currentPriceCents = priceCents;
            return stale;
        }
        // Several lines may name the same product: they share its stock.
        qint64 wanted = line.quantity;
        for (qsizetype j = 0; j < i; ++j) {
            if (command.lines.at(j).productId == line.productId)
                wanted += command.lines.at(j).quantity;
        }
        if (wanted > stock) {
            const QString reason = stock == 0
                                       ? QStringLiteral("%1 is out of stock.").arg(name())
                                       : QStringLiteral("Not enough stock: only %1 %2 left.")
                                             .arg(stock)
                                             .arg(name());
            return rejected(reason, "quantity");
        }
        json.beginObject()
            .key("category").valueUtf8(product.text(2))
            .key("name").valueUtf8(product.text(1))
            .key("productId").value(line.productId)
            .key("quantity").value(line.quantity)
            .key("sku").valueUtf8(product.text(0))
            .key("stockAfter").value(stock - wanted)
            .key("unitPriceCents").value(priceCents)
            .endObject();
        product.reset();
        prices.append({line.productId, priceCents});
        totalCents += priceCents * line.quantity;
    }
    json.endArray();

    SqliteStatement& insertOrder = m_hot->insertOrder;
    insertOrder.bind(1, command.customerId).bind(2, outcome.nowMs).bind(3, totalCents);
    if (!insertOrder.exec(&error))
        return CommandResult::failed(internalFailure.arg(error));
    const qint64 orderId = insertOrder.lastInsertRowId();

    for (qsizetype i = 0; i < command.lines.size(); ++i) {
        const OrderLineRequest& line = command.lines.at(i);
        SqliteStatement& insertLine = m_hot->insertLine;
        insertLine.bind(1, orderId)
            .bind(2, i + 1)
            .bind(3, line.productId)
            .bind(4, line.quantity)
            .bind(5, prices.at(i).unitPriceCents);
        SqliteStatement& takeStock = m_hot->takeStock;
        takeStock.bind(1, line.quantity).bind(2, line.productId);
        if (!insertLine.exec(&error) || !takeStock.exec(&error)) {
            takeStock.reset();
            return CommandResult::failed(internalFailure.arg(error));
        }
    }
    json.key("orderId").value(orderId)
        .key("placedAtMs").value(outcome.nowMs)
        .key("totalCents").value(totalCents)
        .endObject();
    if (!appendEvent(EventType::OrderPlaced, orderId, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    ++m_tentativeCounters.orders;
    return CommandResult::acceptedFor(orderId);
}

// --- CancelOrder -----------------------------------------------------------

CommandResult WriteModel::apply(const CancelOrder& command, Outcome& outcome)
{
    QString error;
    QSqlQuery& order = prepared(QStringLiteral(
        "SELECT o.status, o.customer_id, c.name, o.total_cents FROM orders o "
        "JOIN customers c ON c.id = o.customer_id WHERE o.id = ?"));
    order.addBindValue(command.orderId);
    if (!run(order, &error))
        return CommandResult::failed(internalFailure.arg(error));
    if (!order.next()) {
        order.finish();
        return CommandResult::rejected(QStringLiteral("There is no order #%1.").arg(command.orderId),
                                       QStringLiteral("order"));
    }
    const bool cancelled = order.value(0).toString() == QStringLiteral("cancelled");
    const qint64 customerId = order.value(1).toLongLong();
    const QString customerName = order.value(2).toString();
    const qint64 totalCents = order.value(3).toLongLong();
    order.finish();
    if (cancelled)
        return CommandResult::rejected(
            QStringLiteral("Order #%1 is already cancelled.").arg(command.orderId),
            QStringLiteral("order"));
    if (command.reason.size() > Limits::maxReasonLength)
        return CommandResult::rejected(
            QStringLiteral("The reason is too long (at most %1 characters).")
                .arg(Limits::maxReasonLength),
            QStringLiteral("reason"));

    QSqlQuery& linesQuery = prepared(QStringLiteral(
        "SELECT l.product_id, p.name, l.quantity, l.unit_price_cents, p.stock FROM order_lines l "
        "JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no"));
    linesQuery.addBindValue(command.orderId);
    if (!run(linesQuery, &error))
        return CommandResult::failed(internalFailure.arg(error));
    struct Line
    {
        qint64 productId;
        QString name;
        int quantity;
        qint64 unitPriceCents;
        int stock;
    };
    QList<Line> lines;
    while (linesQuery.next())
        lines.append({linesQuery.value(0).toLongLong(), linesQuery.value(1).toString(),
                      linesQuery.value(2).toInt(), linesQuery.value(3).toLongLong(),
                      linesQuery.value(4).toInt()});
    linesQuery.finish();

    QSqlQuery& update = prepared(QStringLiteral(
        "UPDATE orders SET status = 'cancelled', cancelled_at_ms = ? WHERE id = ?"));
    update.addBindValue(outcome.nowMs);
    update.addBindValue(command.orderId);
    if (!run(update, &error))
        return CommandResult::failed(internalFailure.arg(error));
    m_payload.resize(0);
    JsonWriter json(&m_payload);
    json.beginObject()
        .key("cancelledAtMs").value(outcome.nowMs)
        .key("customerId").value(customerId)
        .key("customerName").value(customerName)
        .key("lines").beginArray();
    QHash<qint64, int> stockNow;
    for (const Line& line : lines) {
        QSqlQuery& giveBack =
            prepared(QStringLiteral("UPDATE products SET stock = stock + ? WHERE id = ?"));
        giveBack.addBindValue(line.quantity);
        giveBack.addBindValue(line.productId);
        if (!run(giveBack, &error))
            return CommandResult::failed(internalFailure.arg(error));
        const int after = stockNow.value(line.productId, line.stock) + line.quantity;
        stockNow.insert(line.productId, after);
        json.beginObject()
            .key("name").value(line.name)
            .key("productId").value(line.productId)
            .key("quantity").value(line.quantity)
            .key("stockAfter").value(after)
            .key("unitPriceCents").value(line.unitPriceCents)
            .endObject();
    }
    json.endArray()
        .key("orderId").value(command.orderId)
        .key("reason").value(command.reason.simplified())
        .key("totalCents").value(totalCents)
        .endObject();
    if (!appendEvent(EventType::OrderCancelled, command.orderId, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    ++m_tentativeCounters.ordersCancelled;
    return CommandResult::acceptedFor(command.orderId);
}

// --- Product commands ------------------------------------------------------

CommandResult WriteModel::apply(const ChangeProductPrice& command, Outcome& outcome)
{
    QString error;
    const std::optional<Product> product = loadProduct(command.productId, &error);
    if (!error.isEmpty())
        return CommandResult::failed(internalFailure.arg(error));
    if (!product)
        return CommandResult::rejected(
            QStringLiteral("There is no product #%1.").arg(command.productId),
            QStringLiteral("product"));
    if (auto stale = rejectStaleVersion(*product, command.expectedVersion))
        return *stale;
    if (product->discontinued)
        return CommandResult::rejected(
            QStringLiteral("%1 is discontinued; its price can no longer change.").arg(product->name),
            QStringLiteral("product"));
    if (command.newPriceCents <= 0)
        return CommandResult::rejected(QStringLiteral("The new price must be more than 0.00."),
                                       QStringLiteral("price"));
    if (command.newPriceCents > Limits::maxPriceCents)
        return CommandResult::rejected(QStringLiteral("%1 is above the price limit of %2.")
                                           .arg(formatCents(command.newPriceCents),
                                                formatCents(Limits::maxPriceCents)),
                                       QStringLiteral("price"));
    if (command.newPriceCents == product->priceCents)
        return CommandResult::rejected(QStringLiteral("The price of %1 is already %2.")
                                           .arg(product->name, formatCents(product->priceCents)),
                                       QStringLiteral("price"));
    const QString reason = command.reason.simplified();
    if (reason.isEmpty())
        return CommandResult::rejected(QStringLiteral("Say why the price changes."),
                                       QStringLiteral("reason"));
    if (reason.size() > Limits::maxReasonLength)
        return CommandResult::rejected(
            QStringLiteral("The reason is too long (at most %1 characters).")
                .arg(Limits::maxReasonLength),
            QStringLiteral("reason"));

    QSqlQuery& update = prepared(
        QStringLiteral("UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ?"));
    update.addBindValue(command.newPriceCents);
    update.addBindValue(product->id);
    if (!run(update, &error))
        return CommandResult::failed(internalFailure.arg(error));
    m_payload.resize(0);
    JsonWriter(&m_payload)
        .beginObject()
        .key("name").value(product->name)
        .key("newPriceCents").value(command.newPriceCents)
        .key("oldPriceCents").value(product->priceCents)
        .key("productId").value(product->id)
        .key("reason").value(reason)
        .key("version").value(product->version + 1)
        .endObject();
    if (!appendEvent(EventType::ProductPriceChanged, product->id, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    return CommandResult::acceptedFor(product->id);
}

CommandResult WriteModel::apply(const RestockProduct& command, Outcome& outcome)
{
    QString error;
    const std::optional<Product> product = loadProduct(command.productId, &error);
    if (!error.isEmpty())
        return CommandResult::failed(internalFailure.arg(error));
    if (!product)
        return CommandResult::rejected(
            QStringLiteral("There is no product #%1.").arg(command.productId),
            QStringLiteral("product"));
    if (auto stale = rejectStaleVersion(*product, command.expectedVersion))
        return *stale;
    if (product->discontinued)
        return CommandResult::rejected(
            QStringLiteral("%1 is discontinued; it cannot be restocked.").arg(product->name),
            QStringLiteral("product"));
    if (command.quantity <= 0)
        return CommandResult::rejected(QStringLiteral("Restock at least 1 unit."),
                                       QStringLiteral("quantity"));
    if (command.quantity > Limits::maxRestockQuantity)
        return CommandResult::rejected(QStringLiteral("At most %1 units per restock; asked for %2.")
                                           .arg(Limits::maxRestockQuantity)
                                           .arg(command.quantity),
                                       QStringLiteral("quantity"));
    QSqlQuery& update = prepared(QStringLiteral(
        "UPDATE products SET stock = stock + ?, version = version + 1 WHERE id = ?"));
    update.addBindValue(command.quantity);
    update.addBindValue(product->id);
    if (!run(update, &error))
        return CommandResult::failed(internalFailure.arg(error));
    m_payload.resize(0);
    JsonWriter(&m_payload)
        .beginObject()
        .key("name").value(product->name)
        .key("productId").value(product->id)
        .key("quantity").value(command.quantity)
        .key("stockAfter").value(product->stock + command.quantity)
        .key("version").value(product->version + 1)
        .endObject();
    if (!appendEvent(EventType::ProductRestocked, product->id, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    return CommandResult::acceptedFor(product->id);
}

CommandResult WriteModel::apply(const DiscontinueProduct& command, Outcome& outcome)
{
    QString error;
    const std::optional<Product> product = loadProduct(command.productId, &error);
    if (!error.isEmpty())
        return CommandResult::failed(internalFailure.arg(error));
    if (!product)
        return CommandResult::rejected(
            QStringLiteral("There is no product #%1.").arg(command.productId),
            QStringLiteral("product"));
    if (auto stale = rejectStaleVersion(*product, command.expectedVersion))
        return *stale;
    if (product->discontinued)
        return CommandResult::rejected(
            QStringLiteral("%1 is already discontinued.").arg(product->name),
            QStringLiteral("product"));
    QSqlQuery& update = prepared(QStringLiteral(
        "UPDATE products SET discontinued = 1, version = version + 1 WHERE id = ?"));
    update.addBindValue(product->id);
    if (!run(update, &error))
        return CommandResult::failed(internalFailure.arg(error));
    m_payload.resize(0);
    JsonWriter(&m_payload)
        .beginObject()
        .key("name").value(product->name)
        .key("productId").value(product->id)
        .key("version").value(product->version + 1)
        .endObject();
    if (!appendEvent(EventType::ProductDiscontinued, product->id, command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    return CommandResult::acceptedFor(product->id);
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
