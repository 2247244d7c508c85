#include "write/writemodel.h"

#include "util/money.h"
#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "write/writeschema.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QThread>

namespace cqrs {

struct WriteModel::Outcome
{
    EventList events;
    qint64 nowMs = 0;
    qint64 nowNs = 0;
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

QString jsonText(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

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

bool WriteModel::exec(const QString& sql, QString* error)
{
    QSqlQuery& query = prepared(sql);
    if (query.exec()) {
        query.finish();
        return true;
    }
    if (error)
        *error = QStringLiteral("SQL failed (%1): %2").arg(sql, query.lastError().text());
    query.finish();
    return false;
}

bool WriteModel::begin(QString* error)
{
    m_tentativeHead = m_committedHead;
    m_tentativeCounters = m_counters;
    // IMMEDIATE takes the write lock now, so a reader can never make the
    // commit fail half way through a group.
    // Prepared afresh each time, unlike the other statements: a compiled
    // BEGIN IMMEDIATE locks the databases attached when it was prepared, and
    // read.db is attached and detached at runtime (synchronous update). A
    // stale one left read.db to be locked lazily, mid-transaction, where a
    // projector's commit made the upgrade fail with "database is locked".
    return execSql(db(), QStringLiteral("BEGIN IMMEDIATE"), error);
}

bool WriteModel::commit(QString* error)
{
    if (!exec(QStringLiteral("COMMIT"), error)) {
        rollback();
        return false;
    }
    m_committedHead = m_tentativeHead;
    m_counters = m_tentativeCounters;
    m_counters.headPosition = m_committedHead;
    return true;
}

void WriteModel::rollback()
{
    exec(QStringLiteral("ROLLBACK"), nullptr);
    m_tentativeHead = m_committedHead;
    m_tentativeCounters = m_counters;
}

CommandResult WriteModel::handle(const Command& command, EventList* appended)
{
    const CommandMeta& meta = metaOf(command);
    const QString commandId = meta.id.toString(QUuid::WithoutBraces);
    QString error;

    // Idempotency: a command id seen before gets its first answer again.
    QSqlQuery& seen = prepared(QStringLiteral("SELECT result FROM processed_commands WHERE command_id = ?"));
    seen.addBindValue(commandId);
    if (!run(seen, &error)) {
        return CommandResult::failed(internalFailure.arg(error));
    }
    if (seen.next()) {
        CommandResult previous =
            CommandResult::fromJson(QJsonDocument::fromJson(seen.value(0).toByteArray()).object());
        seen.finish();
        previous.duplicate = true;
        return previous;
    }
    seen.finish();

    if (!exec(QStringLiteral("SAVEPOINT command"), &error)) {
        return CommandResult::failed(internalFailure.arg(error));
    }
    const qint64 headBefore = m_tentativeHead;
    const WriteCounters countersBefore = m_tentativeCounters;

    Outcome outcome;
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
    if (result.accepted() && m_injectedFailures > 0) {
        --m_injectedFailures;
        result = CommandResult::failed(
            internalFailure.arg(QStringLiteral("injected failure before commit")));
        result.commandId = meta.id;
    }
    if (result.accepted()) {
        result.firstPosition = outcome.events.isEmpty() ? 0 : outcome.events.first().position;
        result.lastPosition = outcome.events.isEmpty() ? 0 : outcome.events.last().position;
        QSqlQuery& remember = prepared(QStringLiteral(
            "INSERT INTO processed_commands (command_id, kind, result, processed_at_ms) "
            "VALUES (?, ?, ?, ?)"));
        remember.addBindValue(commandId);
        remember.addBindValue(commandName(command));
        remember.addBindValue(jsonText(result.toJson()));
        remember.addBindValue(outcome.nowMs);
        if (!run(remember, &error)) {
            result = CommandResult::failed(internalFailure.arg(error));
            result.commandId = meta.id;
        }
    }

    if (result.accepted()) {
        exec(QStringLiteral("RELEASE command"), nullptr);
        m_tentativeCounters.eventsAppended += outcome.events.size();
        ++m_tentativeCounters.commandsAccepted;
        appended->append(outcome.events);
    } else {
        // Undo everything this command wrote: state, events, idempotency row.
        exec(QStringLiteral("ROLLBACK TO command"), nullptr);
        exec(QStringLiteral("RELEASE command"), nullptr);
        m_tentativeHead = headBefore;
        m_tentativeCounters = countersBefore;
        if (result.status == CommandResult::Status::Rejected)
            ++m_tentativeCounters.commandsRejected;
        else
            ++m_tentativeCounters.commandsFailed;
    }
    return result;
}

bool WriteModel::appendEvent(EventType type, qint64 aggregateId, const QJsonObject& payload,
                             const CommandMeta& meta, Outcome& outcome, QString* error)
{
    Event event;
    event.position = m_tentativeHead + 1;
    event.type = type;
    event.aggregateId = aggregateId;
    event.payload = payload;
    event.committedAtMs = outcome.nowMs;
    event.committedMonoNs = outcome.nowNs;
    event.commandId = meta.id;
    event.origin = meta.origin;
    QSqlQuery& insert = prepared(QStringLiteral(
        "INSERT INTO events (position, type, aggregate_id, payload, committed_at_ms, "
        "committed_mono_ns, command_id, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(event.position);
    insert.addBindValue(eventTypeName(type));
    insert.addBindValue(aggregateId);
    insert.addBindValue(jsonText(payload));
    insert.addBindValue(event.committedAtMs);
    insert.addBindValue(event.committedMonoNs);
    insert.addBindValue(meta.id.toString(QUuid::WithoutBraces));
    insert.addBindValue(originName(meta.origin));
    if (!run(insert, error))
        return false;
    m_tentativeHead = event.position;
    outcome.events.append(std::move(event));
    return true;
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
    if (!appendEvent(EventType::CustomerRegistered, id,
                     {{QStringLiteral("customerId"), id},
                      {QStringLiteral("name"), name},
                      {QStringLiteral("email"), email},
                      {QStringLiteral("city"), city},
                      {QStringLiteral("registeredAtMs"), outcome.nowMs}},
                     command.meta, outcome, &error))
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
    if (!appendEvent(EventType::ProductAdded, id,
                     {{QStringLiteral("productId"), id},
                      {QStringLiteral("sku"), sku},
                      {QStringLiteral("name"), name},
                      {QStringLiteral("category"), category},
                      {QStringLiteral("priceCents"), command.priceCents},
                      {QStringLiteral("stock"), command.stock},
                      {QStringLiteral("version"), 1}},
                     command.meta, outcome, &error))
        return CommandResult::failed(internalFailure.arg(error));
    ++m_tentativeCounters.products;
    return CommandResult::acceptedFor(id);
}

// --- PlaceOrder ------------------------------------------------------------

CommandResult WriteModel::apply(const PlaceOrder& command, Outcome& outcome)
{
    QString error;
    if (command.customerId <= 0)
        return CommandResult::rejected(QStringLiteral("Choose a customer for the order."),
                                       QStringLiteral("customer"));
    QSqlQuery& customer = prepared(QStringLiteral("SELECT name FROM customers WHERE id = ?"));
    customer.addBindValue(command.customerId);
    if (!run(customer, &error))
        return CommandResult::failed(internalFailure.arg(error));
    if (!customer.next()) {
        customer.finish();
        return CommandResult::rejected(
            QStringLiteral("There is no customer #%1.").arg(command.customerId),
            QStringLiteral("customer"));
    }
    const QString customerName = customer.value(0).toString();
    customer.finish();

    if (command.lines.isEmpty())
        return CommandResult::rejected(QStringLiteral("An order needs at least one line."),
                                       QStringLiteral("lines"));
    if (command.lines.size() > Limits::maxLinesPerOrder)
        return CommandResult::rejected(
            QStringLiteral("An order can have at most %1 lines; this one has %2.")
                .arg(Limits::maxLinesPerOrder)
                .arg(command.lines.size()),
            QStringLiteral("lines"));

    QList<Product> products;
    QHash<qint64, int> requested; // product id -> total quantity over all lines
    qint64 totalCents = 0;
    for (qsizetype i = 0; i < command.lines.size(); ++i) {
        const OrderLineRequest& line = command.lines.at(i);
        const std::optional<Product> product = loadProduct(line.productId, &error);
        if (!error.isEmpty())
            return CommandResult::failed(internalFailure.arg(error));
        if (!product)
            return CommandResult::rejected(
                QStringLiteral("There is no product #%1.").arg(line.productId),
                lineField(i, "product"));
        if (line.quantity <= 0)
            return CommandResult::rejected(
                QStringLiteral("The quantity of %1 must be at least 1.").arg(product->name),
                lineField(i, "quantity"));
        if (line.quantity > Limits::maxQuantityPerLine)
            return CommandResult::rejected(
                QStringLiteral("At most %1 × %2 per line; this line asks for %3.")
                    .arg(Limits::maxQuantityPerLine)
                    .arg(product->name)
                    .arg(line.quantity),
                lineField(i, "quantity"));
        if (product->discontinued)
            return CommandResult::rejected(
                QStringLiteral("%1 is discontinued and can no longer be ordered.").arg(product->name),
                lineField(i, "product"));
        if (line.shownUnitPriceCents && *line.shownUnitPriceCents != product->priceCents) {
            CommandResult stale = CommandResult::rejected(
                QStringLiteral("The price of %1 changed from %2 to %3.")
                    .arg(product->name, formatCents(*line.shownUnitPriceCents),
                         formatCents(product->priceCents)),
                lineField(i, "price"));
            stale.currentPriceCents = product->priceCents;
            return stale;
        }
        const int wanted = requested.value(product->id) + line.quantity;
        if (wanted > product->stock) {
            const QString reason = product->stock == 0
                                       ? QStringLiteral("%1 is out of stock.").arg(product->name)
                                       : QStringLiteral("Not enough stock: only %1 %2 left.")
                                             .arg(product->stock)
                                             .arg(product->name);
            return CommandResult::rejected(reason, lineField(i, "quantity"));
        }
        requested.insert(product->id, wanted);
        totalCents += product->priceCents * line.quantity;
        products.append(*product);
    }

    QSqlQuery& insertOrder = prepared(QStringLiteral(
        "INSERT INTO orders (customer_id, status, placed_at_ms, total_cents) "
        "VALUES (?, 'placed', ?, ?)"));
    insertOrder.addBindValue(command.customerId);
    insertOrder.addBindValue(outcome.nowMs);
    insertOrder.addBindValue(totalCents);
    if (!run(insertOrder, &error))
        return CommandResult::failed(internalFailure.arg(error));
    const qint64 orderId = insertOrder.lastInsertId().toLongLong();

    QJsonArray lines;
    QHash<qint64, int> stockLeft;
    for (qsizetype i = 0; i < command.lines.size(); ++i) {
        const OrderLineRequest& line = command.lines.at(i);
        const Product& product = products.at(i);
        QSqlQuery& insertLine = prepared(QStringLiteral(
            "INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price_cents) "
            "VALUES (?, ?, ?, ?, ?)"));
        insertLine.addBindValue(orderId);
        insertLine.addBindValue(i + 1);
        insertLine.addBindValue(product.id);
        insertLine.addBindValue(line.quantity);
        insertLine.addBindValue(product.priceCents);
        QSqlQuery& takeStock =
            prepared(QStringLiteral("UPDATE products SET stock = stock - ? WHERE id = ?"));
        takeStock.addBindValue(line.quantity);
        takeStock.addBindValue(product.id);
        if (!run(insertLine, &error) || !run(takeStock, &error))
            return CommandResult::failed(internalFailure.arg(error));
        const int after = stockLeft.value(product.id, product.stock) - line.quantity;
        stockLeft.insert(product.id, after);
        lines.append(QJsonObject{{QStringLiteral("productId"), product.id},
                                 {QStringLiteral("sku"), product.sku},
                                 {QStringLiteral("name"), product.name},
                                 {QStringLiteral("category"), product.category},
                                 {QStringLiteral("quantity"), line.quantity},
                                 {QStringLiteral("unitPriceCents"), product.priceCents},
                                 {QStringLiteral("stockAfter"), after}});
    }
    if (!appendEvent(EventType::OrderPlaced, orderId,
                     {{QStringLiteral("orderId"), orderId},
                      {QStringLiteral("customerId"), command.customerId},
                      {QStringLiteral("customerName"), customerName},
                      {QStringLiteral("placedAtMs"), outcome.nowMs},
                      {QStringLiteral("totalCents"), totalCents},
                      {QStringLiteral("lines"), lines}},
                     command.meta, outcome, &error))
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
    QJsonArray lineArray;
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
        lineArray.append(QJsonObject{{QStringLiteral("productId"), line.productId},
                                     {QStringLiteral("name"), line.name},
                                     {QStringLiteral("quantity"), line.quantity},
                                     {QStringLiteral("unitPriceCents"), line.unitPriceCents},
                                     {QStringLiteral("stockAfter"), after}});
    }
    if (!appendEvent(EventType::OrderCancelled, command.orderId,
                     {{QStringLiteral("orderId"), command.orderId},
                      {QStringLiteral("customerId"), customerId},
                      {QStringLiteral("customerName"), customerName},
                      {QStringLiteral("totalCents"), totalCents},
                      {QStringLiteral("reason"), command.reason.simplified()},
                      {QStringLiteral("cancelledAtMs"), outcome.nowMs},
                      {QStringLiteral("lines"), lineArray}},
                     command.meta, outcome, &error))
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
    if (!appendEvent(EventType::ProductPriceChanged, product->id,
                     {{QStringLiteral("productId"), product->id},
                      {QStringLiteral("name"), product->name},
                      {QStringLiteral("oldPriceCents"), product->priceCents},
                      {QStringLiteral("newPriceCents"), command.newPriceCents},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("version"), product->version + 1}},
                     command.meta, outcome, &error))
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
    if (!appendEvent(EventType::ProductRestocked, product->id,
                     {{QStringLiteral("productId"), product->id},
                      {QStringLiteral("name"), product->name},
                      {QStringLiteral("quantity"), command.quantity},
                      {QStringLiteral("stockAfter"), product->stock + command.quantity},
                      {QStringLiteral("version"), product->version + 1}},
                     command.meta, outcome, &error))
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
    if (!appendEvent(EventType::ProductDiscontinued, product->id,
                     {{QStringLiteral("productId"), product->id},
                      {QStringLiteral("name"), product->name},
                      {QStringLiteral("version"), product->version + 1}},
                     command.meta, outcome, &error))
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
