// Golden files for the projections, data-driven over tests/data/projections
// the way Tiled's automapping tests run over their map folders:
//  - events.jsonl, an event log the real write side wrote for the command
//    script below (fixtureScript()), its commit times and command ids fixed;
//  - one <view>.tsv per view table plus checkpoints.tsv: the rows that log
//    must fold into, header first, sorted by primary key (the search table,
//    which has none, by all its columns), NULL written as \N.
// Every view is folded the way the projectors fold it, with several
// batchings, and must equal its file row for row. A change to a projection
// thus shows up as a diff of rows.
//
//   CQRS_UPDATE_GOLDEN=1       writes the .tsv files from what the
//                              projections produce now (review the diff)
//   CQRS_REGENERATE_FIXTURE=1  rewrites events.jsonl from the command script
//                              (after a deliberate payload change; then
//                              update the golden files)
//
// By default both files are only compared, never written.
#include "testsupport.h"

#include "events/jsonwriter.h"
#include "projections/projection.h"
#include "projections/readstore.h"
#include "util/sqlconnection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <map>
#include <optional>
#include <vector>

using namespace cqrs;

namespace {

const QString dataDir = QStringLiteral(CQRS_TEST_DATA_DIR "/projections");
QString fixturePath() { return dataDir + QStringLiteral("/events.jsonl"); }
QString goldenPath(const QString& view) { return dataDir + u'/' + view + QStringLiteral(".tsv"); }

bool updatingGolden() { return qEnvironmentVariableIntValue("CQRS_UPDATE_GOLDEN") == 1; }
bool regeneratingFixture() { return qEnvironmentVariableIntValue("CQRS_REGENERATE_FIXTURE") == 1; }

// --- The command script behind events.jsonl --------------------------------

// Commit times in the fixture: 2026-01-01T00:00:00Z plus 250 ms per
// position, so four events share a second of the revenue timeline.
constexpr qint64 fixtureBaseMs = 1'767'225'600'000;
constexpr qint64 fixtureStepMs = 250;
constexpr qint64 fixtureBaseMonoNs = 1'000'000'000'000;
// The payload fields that carry the commit time (the write model writes its
// clock there): rewritten with committed_at_ms.
const char* const payloadTimeKeys[] = {"registeredAtMs", "placedAtMs", "cancelledAtMs"};

/// One command of the script and what the write side must answer: accepted
/// (rejectedField empty) or rejected about that field. A rejected one leaves
/// no event; it is there to show that it does not.
struct ScriptStep
{
    Command command;
    QString rejectedField;
};

CommandMeta metaFrom(CommandOrigin origin) { return CommandMeta{QUuid(), origin}; }

AddProduct product(CommandOrigin origin, QStringView sku, QStringView name, QStringView category,
                   qint64 priceCents, int stock)
{
    return AddProduct{metaFrom(origin), sku.toString(), name.toString(), category.toString(),
                      priceCents, stock};
}

RegisterCustomer customer(CommandOrigin origin, QStringView name, QStringView email,
                          QStringView city)
{
    return RegisterCustomer{metaFrom(origin), name.toString(), email.toString(), city.toString()};
}

PlaceOrder order(CommandOrigin origin, qint64 customerId, QList<OrderLineRequest> lines)
{
    return PlaceOrder{metaFrom(origin), customerId, std::move(lines)};
}

CancelOrder cancel(qint64 orderId, QStringView reason)
{
    return CancelOrder{metaFrom(CommandOrigin::Form), orderId, reason.toString()};
}

ChangeProductPrice reprice(qint64 productId, qint64 newPriceCents, QStringView reason)
{
    return ChangeProductPrice{metaFrom(CommandOrigin::Api), productId, newPriceCents,
                              reason.toString(), {}};
}

RestockProduct restock(qint64 productId, int quantity, std::optional<int> expectedVersion = {})
{
    return RestockProduct{metaFrom(CommandOrigin::Form), productId, quantity, expectedVersion};
}

DiscontinueProduct discontinue(qint64 productId)
{
    return DiscontinueProduct{metaFrom(CommandOrigin::Api), productId, {}};
}

using test::line;

QList<ScriptStep> fixtureScript()
{
    // Ids as a fresh store hands them out, in order of creation.
    enum : qint64 { Keyboard = 1, Mouse, Monitor, Cable, Mug, Lamp, Desk };
    enum : qint64 { Alice = 1, Zoe, Dana, Bob, Chen, Eve };
    constexpr auto seed = CommandOrigin::Seed;
    constexpr auto form = CommandOrigin::Form;
    constexpr auto sim = CommandOrigin::Simulator;
    const QString none;
    QList<ScriptStep> s{
        {product(seed, u"KB-001", u"Mechanical Keyboard", u"Peripherals", 8999, 20), none},
        {product(seed, u"MS-002", u"Wireless Mouse", u"Peripherals", 2499, 50), none},
        {product(seed, u"MON-27", u"27\" Monitor", u"Displays", 32900, 5), none},
        {product(seed, u"CAB-USBC", u"USB-C Cable", u"Accessories", 999, 100), none},
        {product(seed, u"MUG-CRM", u"Crème Brûlée Mug ☕", u"Kitchen", 1250, 3), none},
        // None in stock yet.
        {product(seed, u"LMP-RKT", u"Rocket Lamp 🚀", u"Lighting", 4500, 0), none},
        {customer(seed, u"Alice Martin", u"alice@example.org", u"Lisbon"), none},
        {customer(seed, u"Zoë Ångström-Łukasiewicz", u"zoe@example.pl", u"Kraków"), none},
        {customer(seed, u"Dana \"Dee\" O'Neil", u"dana@example.ie", u"Cork"), none},
        // No e-mail, no city, spaces the write model collapses; never orders.
        {customer(seed, u"  Bob   Stone ", u"", u""), none},

        {order(form, Alice, {line(Keyboard, 1), line(Mouse, 2)}), none},
        {order(sim, Zoe, {line(Cable, 3)}), none},
        {order(form, Dana, {line(Monitor, 1), line(Cable, 1), line(Mouse, 1)}), none},
        {order(form, Alice, {line(Mug, 3)}), none}, // the last mugs
        {order(sim, Zoe, {line(Mug, 1)}), QStringLiteral("line:0:quantity")}, // out of stock
        {reprice(Mouse, 1999, u"Spring sale"), none},
        // The same product on two lines of one order.
        {order(form, Zoe, {line(Mouse, 2), line(Cable, 1), line(Mouse, 1)}), none},
        // Shown the old price.
        {order(form, Alice, {line(Mouse, 1, 2499)}), QStringLiteral("line:0:price")},
        {restock(Mug, 10), none},
        {restock(Lamp, 4), none},
        {order(sim, Dana, {line(Lamp, 2), line(Mug, 1)}), none},
        {cancel(3, u"Changed my  mind"), none}, // Dana's three lines, the mouse at its old price
        {customer(form, u"Chen Wei 陈伟", u"chen@example.cn", u"Shanghai"), none},
        {product(CommandOrigin::Api, u"DSK-STD", u"Standing Desk", u"Furniture", 45000, 2), none},
        {order(form, Chen, {line(Desk, 1), line(Keyboard, 1)}), none},
        {discontinue(Monitor), none},
        {order(form, Zoe, {line(Monitor, 1)}), QStringLiteral("line:0:product")},
        {cancel(3, u"again"), QStringLiteral("order")},
        {reprice(Keyboard, 9499, u"Supplier price increase"), none},
        {order(form, Alice, {line(Keyboard, 2)}), none},
        {cancel(8, u"Ordered twice by mistake"), none},
        {order(sim, Zoe, {line(Cable, 10)}), none},
        {cancel(2, u"Wrong cable"), none},
        {order(sim, Dana, {line(Mouse, 1)}), none},
        {reprice(Lamp, 3999, u"Launch discount"), none},
        {restock(Keyboard, 5, 2), none},
        {restock(Keyboard, 5, 2), QStringLiteral("version")}, // now at version 3
        {cancel(7, u"Delivery too late"), none}, // Chen's only order so far
        {discontinue(Lamp), none},
        {cancel(6, u"Lamp flickers"), none}, // gives stock back to a discontinued lamp
        {restock(Lamp, 1), QStringLiteral("product")},

        {order(form, Alice, {line(Cable, 2), line(Mug, 1)}), none},
        {order(sim, Zoe, {line(Keyboard, 1), line(Mouse, 1), line(Cable, 1), line(Mug, 1)}), none},
        {order(form, Dana, {line(Desk, 2)}), none}, // every desk
        {order(sim, Chen, {line(Mouse, 5)}), none},
        {reprice(Mug, 1500, u"Cocoa costs"), none},
        {order(form, Alice, {line(Mug, 2)}), none},
        {restock(Desk, 3), none},
        {order(form, Zoe, {line(Desk, 1)}), none},
        {cancel(13, u"Too heavy"), none}, // the desks
        {order(sim, Dana, {line(Cable, 4)}), none},
        {order(sim, Chen, {line(Keyboard, 1), line(Mouse, 1)}), none},
        {cancel(15, u"Found it cheaper"), none},
        {order(sim, Alice, {line(Mouse, 3), line(Cable, 3)}), none},
        {order(sim, Zoe, {line(Mug, 2), line(Cable, 2)}), none},
        {restock(Mouse, 25), none},
        {reprice(Cable, 1099, u"New supplier"), none},
        {order(form, Dana, {line(Cable, 5), line(Keyboard, 1)}), none},
        {order(sim, Chen, {line(Cable, 1)}), none},
        {customer(form, u"Ève Laurent", u"eve@example.fr", u"Lyon"), none},
        {order(form, Eve, {line(Mug, 1)}), none},
        {cancel(16, u"Duplicate"), none},
        {order(form, Alice, {line(Desk, 1), line(Mouse, 1), line(Mug, 1)}), none},
        {order(sim, Zoe, {line(Keyboard, 2)}), none},
        {cancel(20, u"Address unknown"), none},
        {order(form, Dana, {line(Mouse, 2)}), none},
        {cancel(23, u"Not needed after all"), none}, // Eve's only order
    };
    // Deterministic command ids: UUID v5 of the step's index.
    const QUuid space = QUuid::fromString(u"{8c0f3f0e-2d55-4a52-9c3e-0b7a4f1d6e21}");
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QUuid id = QUuid::createUuidV5(space, QStringLiteral("projection-golden/%1").arg(i));
        std::visit([&id](auto& command) { command.meta.id = id; }, s[i].command);
    }
    return s;
}

// --- events.jsonl ------------------------------------------------------------

/// One event as a line of the fixture, its fields in a fixed order.
QByteArray fixtureLine(const Event& event)
{
    QByteArray text = "{\"position\":" + QByteArray::number(event.position) + ",\"type\":";
    JsonWriter::appendString(&text, eventTypeName(event.type));
    text += ",\"aggregate_id\":" + QByteArray::number(event.aggregateId);
    text += ",\"payload\":" + QJsonDocument(event.payload).toJson(QJsonDocument::Compact);
    text += ",\"committed_at_ms\":" + QByteArray::number(event.committedAtMs);
    text += ",\"committed_mono_ns\":" + QByteArray::number(event.committedMonoNs);
    text += ",\"origin\":";
    JsonWriter::appendString(&text, originName(event.origin));
    text += ",\"command_id\":";
    JsonWriter::appendString(&text, event.commandId.toString(QUuid::WithoutBraces));
    text += '}';
    return text;
}

/// Runs the script on a fresh write store and returns the log it wrote as
/// fixture lines, with deterministic times. Empty with *error on failure.
QStringList runFixtureScript(QString* error)
{
    const QList<ScriptStep> script = fixtureScript();
    test::TempStore store(/*seedDemoData=*/false, /*maxGroupSize=*/1);
    if (const StoreInfo info = store.open(); !info.ok) {
        *error = info.error;
        return {};
    }
    QList<QUuid> acceptedIds;
    for (qsizetype i = 0; i < script.size(); ++i) {
        const ScriptStep& step = script.at(i);
        const CommandResult result = store.run(step.command);
        const bool asExpected = step.rejectedField.isEmpty()
                                    ? result.accepted()
                                    : !result.accepted() && result.field == step.rejectedField;
        if (!asExpected) {
            *error = QStringLiteral("script step %1 (%2): expected %3, got %4 (%5)")
                         .arg(i)
                         .arg(commandName(step.command),
                              step.rejectedField.isEmpty() ? QStringLiteral("acceptance")
                                                           : QStringLiteral("a rejection about ")
                                                                 + step.rejectedField,
                              result.accepted() ? QStringLiteral("accepted") : result.field,
                              result.reason);
            return {};
        }
        if (result.accepted())
            acceptedIds << metaOf(step.command).id;
    }
    store.closeBus();

    test::StoreReader reader(store.path());
    const QList<QVariantList> rows = reader.rows(QStringLiteral(
        "SELECT position, type, aggregate_id, payload, committed_at_ms, origin, command_id "
        "FROM events ORDER BY position"));
    if (rows.size() != acceptedIds.size()) {
        *error = QStringLiteral("%1 events for %2 accepted commands (%3)")
                     .arg(rows.size())
                     .arg(acceptedIds.size())
                     .arg(reader.lastError());
        return {};
    }
    QStringList lines;
    for (const QVariantList& row : rows) {
        Event event;
        event.position = row.at(0).toLongLong();
        event.type = eventTypeFromName(row.at(1).toString()).value_or(EventType::OrderPlaced);
        event.aggregateId = row.at(2).toLongLong();
        event.payload = QJsonDocument::fromJson(row.at(3).toByteArray()).object();
        event.committedAtMs = fixtureBaseMs + event.position * fixtureStepMs;
        event.committedMonoNs = fixtureBaseMonoNs + event.position * fixtureStepMs * 1'000'000;
        event.origin = originFromName(row.at(5).toString()).value_or(CommandOrigin::Form);
        event.commandId = QUuid::fromString(row.at(6).toString());
        if (event.position != lines.size() + 1 || event.commandId != acceptedIds.at(lines.size())) {
            *error = QStringLiteral("event %1 is not the one of accepted command %2")
                         .arg(event.position)
                         .arg(lines.size() + 1);
            return {};
        }
        for (const char* key : payloadTimeKeys) {
            const QLatin1StringView name(key);
            if (!event.payload.contains(name))
                continue;
            if (event.payload.value(name).toInteger() != row.at(4).toLongLong()) {
                *error = QStringLiteral("event %1: %2 is not its commit time")
                             .arg(event.position)
                             .arg(name);
                return {};
            }
            event.payload.insert(name, event.committedAtMs);
        }
        lines << QString::fromUtf8(fixtureLine(event));
    }
    return lines;
}

std::optional<qint64> integerField(const QJsonObject& object, const char* key)
{
    const QJsonValue value = object.value(QLatin1StringView(key));
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    if (!value.isDouble() || value.toInteger(notWhole) == notWhole)
        return std::nullopt;
    return value.toInteger();
}

/// Parses one fixture line; an empty string on success, else what is wrong.
QString parseFixtureLine(const QString& text, qint64 expectedPosition, Event* event)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("not JSON: %1 at column %2")
            .arg(parseError.errorString())
            .arg(parseError.offset + 1);
    if (!document.isObject())
        return QStringLiteral("not a JSON object");
    const QJsonObject object = document.object();
    for (const char* key : {"position", "aggregate_id", "committed_at_ms", "committed_mono_ns"}) {
        if (!integerField(object, key))
            return QStringLiteral("\"%1\" is missing or not an integer")
                .arg(QLatin1StringView(key));
    }
    event->position = *integerField(object, "position");
    if (event->position != expectedPosition)
        return QStringLiteral("position %1, expected %2 (the log is 1, 2, 3, ...)")
            .arg(event->position)
            .arg(expectedPosition);
    const QString type = object.value(QStringLiteral("type")).toString();
    const std::optional<EventType> eventType = eventTypeFromName(type);
    if (!eventType)
        return QStringLiteral("unknown event type \"%1\"").arg(type);
    event->type = *eventType;
    event->aggregateId = *integerField(object, "aggregate_id");
    if (!object.value(QStringLiteral("payload")).isObject())
        return QStringLiteral("\"payload\" is missing or not an object");
    event->payload = object.value(QStringLiteral("payload")).toObject();
    event->committedAtMs = *integerField(object, "committed_at_ms");
    event->committedMonoNs = *integerField(object, "committed_mono_ns");
    const QString origin = object.value(QStringLiteral("origin")).toString();
    if (!originFromName(origin))
        return QStringLiteral("unknown origin \"%1\"").arg(origin);
    event->origin = *originFromName(origin);
    event->commandId = QUuid::fromString(object.value(QStringLiteral("command_id")).toString());
    if (event->commandId.isNull())
        return QStringLiteral("\"command_id\" is missing or not a UUID");
    return {};
}

/// The lines of a UTF-8 text file, without the final newline's empty one.
bool readLines(const QString& path, QStringList* lines, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read it: %2").arg(path, file.errorString());
        return false;
    }
    *lines = QString::fromUtf8(file.readAll()).split(u'\n');
    if (!lines->isEmpty() && lines->last().isEmpty())
        lines->removeLast();
    return true;
}

bool writeLines(const QString& path, const QStringList& lines, QString* error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        for (const QString& line : lines)
            file.write(line.toUtf8() + '\n');
        if (file.commit())
            return true;
    }
    *error = QStringLiteral("%1: cannot write it: %2").arg(path, file.errorString());
    return false;
}

/// Reads an events.jsonl file; on a bad line, *error is "file:line: why".
bool loadEventLog(const QString& path, EventList* events, QString* error)
{
    QStringList lines;
    if (!readLines(path, &lines, error))
        return false;
    events->clear();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        Event event;
        const QString problem = parseFixtureLine(lines.at(i), events->size() + 1, &event);
        if (!problem.isEmpty()) {
            *error = QStringLiteral("%1:%2: %3").arg(path).arg(i + 1).arg(problem);
            return false;
        }
        events->append(event);
    }
    return true;
}

// --- Folding and dumping -----------------------------------------------------

/// Applies one batch to `views` in one transaction, as ProjectorGroup::commit() does.
bool commitBatch(SqlContext& sql, const std::vector<Projection*>& views, const EventList& batch,
                 QString* error)
{
    if (!sql.exec(QStringLiteral("BEGIN IMMEDIATE"), error))
        return false;
    for (Projection* view : views) {
        ChangeSet changes;
        qint64 checkpoint = 0;
        qint64 failedAt = 0;
        if (!ReadStore::applyBatch(sql, *view, batch, changes, &checkpoint, &failedAt, error)) {
            sql.exec(QStringLiteral("ROLLBACK"), nullptr);
            *error = QStringLiteral("%1 failed at event %2: %3")
                         .arg(view->name())
                         .arg(failedAt)
                         .arg(*error);
            return false;
        }
    }
    return sql.exec(QStringLiteral("COMMIT"), error);
}

/// Folds `events` into the prepared store in batches of `batchSize` (0: all
/// at once) the way a projector thread steps: the views that commit together
/// in one transaction, each commitsAlone() view in one of its own, then every
/// view's tidy().
bool fold(SqlContext& sql, const ProjectionList& projections, const EventList& events,
          int batchSize, QString* error)
{
    std::vector<Projection*> together;
    std::vector<Projection*> alone;
    for (const auto& projection : projections)
        (projection->commitsAlone() ? alone : together).push_back(projection.get());
    const qsizetype step = batchSize > 0 ? batchSize : std::max<qsizetype>(1, events.size());
    for (qsizetype from = 0; from < events.size(); from += step) {
        const EventList batch = events.mid(from, step);
        if (!together.empty() && !commitBatch(sql, together, batch, error))
            return false;
        for (Projection* view : alone) {
            if (!commitBatch(sql, {view}, batch, error))
                return false;
        }
        for (const auto& projection : projections) {
            if (!projection->tidy(sql, error)) {
                *error = QStringLiteral("%1: tidy() failed: %2").arg(projection->name(), *error);
                return false;
            }
        }
    }
    return true;
}

/// A cell as the golden files write it: NULL as \N, and backslash, tab and
/// line breaks escaped so that a row stays one line.
QString goldenCell(const QVariant& value)
{
    if (value.isNull())
        return QStringLiteral("\\N");
    QString text = value.toString();
    text.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'\t', QStringLiteral("\\t"))
        .replace(u'\n', QStringLiteral("\\n"))
        .replace(u'\r', QStringLiteral("\\r"));
    return text;
}

/// A header line of column names, then a line per row, cells tab-separated.
QStringList dumpQuery(const QSqlDatabase& db, const QString& sql, QString* error)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(sql)) {
        *error = QStringLiteral("%1: %2").arg(sql, query.lastError().text());
        return {};
    }
    const QSqlRecord record = query.record();
    QStringList header;
    for (int i = 0; i < record.count(); ++i)
        header << record.fieldName(i);
    QStringList lines{header.join(u'\t')};
    while (query.next()) {
        QStringList cells;
        for (int i = 0; i < record.count(); ++i)
            cells << goldenCell(query.value(i));
        lines << cells.join(u'\t');
    }
    return lines;
}

/// Every column of `table`, ordered by its primary key, or by all columns
/// when it has none (an FTS5 table: its rowids are the projection's business).
QString dumpSql(const QSqlDatabase& db, const QString& table, QString* error)
{
    QSqlQuery info(db);
    if (!info.exec(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table))) {
        *error = QStringLiteral("%1: %2").arg(table, info.lastError().text());
        return {};
    }
    QStringList columns;
    QMap<int, QString> keys; // position in the key -> column
    while (info.next()) {
        const QString column = u'"' + info.value(1).toString() + u'"';
        columns << column;
        if (const int pk = info.value(5).toInt(); pk > 0)
            keys.insert(pk, column);
    }
    if (columns.isEmpty()) {
        *error = QStringLiteral("%1: no such table").arg(table);
        return {};
    }
    return QStringLiteral("SELECT %1 FROM \"%2\" ORDER BY %3")
        .arg(columns.join(QStringLiteral(", ")), table,
             (keys.isEmpty() ? columns : keys.values()).join(QStringLiteral(", ")));
}

/// The golden file (without .tsv) of one of a projection's tables: the
/// projection's name, or the table's when it has several.
QString viewName(const Projection& projection, const QString& table)
{
    if (projection.tables().size() == 1)
        return projection.name();
    return table.startsWith(QStringLiteral("rv_")) ? table.mid(3) : table;
}

const QString checkpointsView = QStringLiteral("checkpoints");

QStringList viewNames()
{
    QStringList names;
    for (const auto& projection : createProjections()) {
        for (const QString& table : projection->tables())
            names << viewName(*projection, table);
    }
    return names << checkpointsView;
}

using ViewDumps = QMap<QString, QStringList>;

/// Every view table and the checkpoints (without their wall-clock update time).
ViewDumps dumpViews(const QSqlDatabase& db, const ProjectionList& projections, QString* error)
{
    ViewDumps views;
    for (const auto& projection : projections) {
        for (const QString& table : projection->tables()) {
            const QString sql = dumpSql(db, table, error);
            if (sql.isEmpty())
                return {};
            views.insert(viewName(*projection, table), dumpQuery(db, sql, error));
        }
    }
    views.insert(checkpointsView, dumpQuery(db,
                                            QStringLiteral("SELECT projection, position FROM "
                                                           "rv_checkpoints ORDER BY projection"),
                                            error));
    return error->isEmpty() ? views : ViewDumps();
}

/// FTS5's own check that each full-text index matches its table's content.
bool checkFullTextIndexes(const QSqlDatabase& db, QString* error)
{
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                    "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"))) {
        *error = tables.lastError().text();
        return false;
    }
    while (tables.next()) {
        const QString table = tables.value(0).toString();
        QSqlQuery check(db);
        const QString sql =
            QStringLiteral("INSERT INTO \"%1\" (\"%1\") VALUES ('integrity-check')").arg(table);
        if (!check.exec(sql)) {
            *error = QStringLiteral("%1: integrity-check: %2").arg(table, check.lastError().text());
            return false;
        }
    }
    return true;
}

struct Folded
{
    QString error;
    ViewDumps views;
};

/// Folds `events` into a new store at `path` and dumps its views.
Folded foldIntoStore(const QString& path, const EventList& events, int batchSize)
{
    Folded result;
    SqlConnection store(QStringLiteral("golden"), path, SqlConnection::Role::Writer);
    if (!store.open(&result.error))
        return result;
    const ProjectionList projections = createProjections();
    {
        SqlContext sql(store.db()); // its statements go before the connection
        if (!ReadStore::prepare(sql, projections, &result.error)
            || !fold(sql, projections, events, batchSize, &result.error))
            return result;
    }
    if (checkFullTextIndexes(store.db(), &result.error))
        result.views = dumpViews(store.db(), projections, &result.error);
    return result;
}

// --- Comparing ---------------------------------------------------------------

/// Empty when the lines are equal; else a compact diff: how many lines
/// differ and the first few of them, expected before actual, with their line
/// numbers in each file. The middle that differs is aligned on its longest
/// common subsequence, so a missing or extra row is one line, not every
/// line after it.
QString describeDifference(const QString& file, const QStringList& expected,
                           const QStringList& actual)
{
    if (expected == actual)
        return {};
    qsizetype prefix = 0;
    while (prefix < expected.size() && prefix < actual.size() && expected[prefix] == actual[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < expected.size() - prefix && suffix < actual.size() - prefix
           && expected[expected.size() - 1 - suffix] == actual[actual.size() - 1 - suffix])
        ++suffix;
    const qsizetype n = expected.size() - prefix - suffix;
    const qsizetype m = actual.size() - prefix - suffix;

    struct Change
    {
        bool inExpected;
        qsizetype index;
    };
    QList<Change> changes;
    if (n * m <= 4'000'000) {
        std::vector<int> lcs((n + 1) * (m + 1), 0); // lcs of expected[i..] and actual[j..]
        const auto at = [&lcs, m](qsizetype i, qsizetype j) -> int& {
            return lcs[i * (m + 1) + j];
        };
        for (qsizetype i = n - 1; i >= 0; --i) {
            for (qsizetype j = m - 1; j >= 0; --j) {
                at(i, j) = expected[prefix + i] == actual[prefix + j]
                               ? at(i + 1, j + 1) + 1
                               : std::max(at(i + 1, j), at(i, j + 1));
            }
        }
        qsizetype i = 0;
        qsizetype j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected[prefix + i] == actual[prefix + j]) {
                ++i;
                ++j;
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                changes.append({true, prefix + i++});
            } else {
                changes.append({false, prefix + j++});
            }
        }
    } else { // too big to align: line by line
        for (qsizetype k = prefix; k < std::max(expected.size(), actual.size()) - suffix; ++k) {
            if (k < expected.size() - suffix)
                changes.append({true, k});
            if (k < actual.size() - suffix)
                changes.append({false, k});
        }
    }

    const auto shown = [](const QString& line) {
        return QString(line).replace(u'\t', QStringLiteral(" | "));
    };
    QStringList out{QStringLiteral("%1: %2 line(s) differ (expected %3 lines, got %4)")
                        .arg(file)
                        .arg(changes.size())
                        .arg(expected.size())
                        .arg(actual.size())};
    if (file.endsWith(QStringLiteral(".tsv")) && !expected.isEmpty())
        out << QStringLiteral("  columns:          %1").arg(shown(expected.first()));
    constexpr int maxShown = 8;
    for (qsizetype k = 0; k < std::min<qsizetype>(changes.size(), maxShown); ++k) {
        const Change& c = changes.at(k);
        out << QStringLiteral("  %1 line %2: %3")
                   .arg(c.inExpected ? QStringLiteral("expected") : QStringLiteral("actual  "))
                   .arg(c.index + 1, 4)
                   .arg(shown((c.inExpected ? expected : actual).at(c.index)));
    }
    if (changes.size() > maxShown)
        out << QStringLiteral("  ... and %1 more").arg(changes.size() - maxShown);
    return out.join(u'\n');
}

const QString updateHint = QStringLiteral(
    "\nIf the projections changed on purpose, rewrite the golden files with CQRS_UPDATE_GOLDEN=1 "
    "and review their diff.");

} // namespace

class TestProjectionGolden final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixtureIsWhatTheWriteSideWrites()
    {
        // The committed log must still be what the write side writes for the
        // script, or the golden files test payloads nobody writes any more.
        QString error;
        const QStringList written = runFixtureScript(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        if (regeneratingFixture()) {
            QVERIFY2(writeLines(fixturePath(), written, &error), qPrintable(error));
            qInfo("CQRS_REGENERATE_FIXTURE=1: wrote %lld events to %s; now run with "
                  "CQRS_UPDATE_GOLDEN=1 and review the diff of both.",
                  qlonglong(written.size()), qPrintable(fixturePath()));
            m_fixture.reset();
            return;
        }
        QStringList committed;
        QVERIFY2(readLines(fixturePath(), &committed, &error), qPrintable(error));
        const QString diff = describeDifference(QStringLiteral("events.jsonl"), committed, written);
        const QString hint = QStringLiteral(
            "\nIf the write side changed on purpose, rebuild the fixture with "
            "CQRS_REGENERATE_FIXTURE=1, then the golden files with CQRS_UPDATE_GOLDEN=1.");
        QVERIFY2(diff.isEmpty(), qPrintable(diff + hint));
    }

    void fixtureCoversEveryEventType()
    {
        const EventList* events = fixture();
        QVERIFY2(events, qPrintable(m_fixtureError));
        QSet<int> seen;
        for (const Event& event : *events)
            seen.insert(int(event.type));
        for (EventType type :
             {EventType::CustomerRegistered, EventType::ProductAdded, EventType::OrderPlaced,
              EventType::OrderCancelled, EventType::ProductPriceChanged,
              EventType::ProductRestocked, EventType::ProductDiscontinued})
            QVERIFY2(seen.contains(int(type)), qPrintable(eventTypeName(type)));
    }

    void views_data()
    {
        QTest::addColumn<int>("batchSize");
        QTest::addColumn<QString>("view");
        const std::pair<const char*, int> batchings[] = {{"each", 1}, {"by7", 7}, {"all", 0}};
        for (const auto& [label, size] : batchings) {
            for (const QString& view : viewNames())
                QTest::addRow("%s/%s", label, qPrintable(view)) << size << view;
        }
    }

    void views()
    {
        // The fold of the fixture equals the golden file, however the log is
        // batched: one event per transaction, 7, or all of it at once.
        QFETCH(int, batchSize);
        QFETCH(QString, view);
        const Folded& folded = foldedBy(batchSize);
        QVERIFY2(folded.error.isEmpty(), qPrintable(folded.error));
        QVERIFY2(folded.views.contains(view), qPrintable(QStringLiteral("no view %1").arg(view)));
        const QStringList actual = folded.views.value(view);
        const QString path = goldenPath(view);
        QString error;
        if (updatingGolden() && !m_rewritten.contains(view)) {
            // The first batching writes the file; the others compare with it.
            QVERIFY2(writeLines(path, actual, &error), qPrintable(error));
            m_rewritten.insert(view);
            qInfo("CQRS_UPDATE_GOLDEN=1: wrote %s (%lld rows)", qPrintable(path),
                  qlonglong(actual.size() - 1));
            return;
        }
        QStringList expected;
        QVERIFY2(readLines(path, &expected, &error), qPrintable(error + updateHint));
        const QString diff = describeDifference(QFileInfo(path).fileName(), expected, actual);
        QVERIFY2(diff.isEmpty(), qPrintable(diff + updateHint));
    }

    void everyGoldenFileIsAView()
    {
        // A view that was removed or renamed must not leave its file behind.
        const QStringList views = viewNames();
        const QFileInfoList files =
            QDir(dataDir).entryInfoList({QStringLiteral("*.tsv")}, QDir::Files);
        for (const QFileInfo& file : files) {
            QVERIFY2(views.contains(file.completeBaseName()),
                     qPrintable(QStringLiteral("%1 belongs to no view").arg(file.filePath())));
        }
    }

    void aChangedRowIsReported_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("reported");
        // Line numbers are the file's: the header is line 1.
        QTest::newRow("value") << QStringLiteral("value") << QStringLiteral("actual   line    4:");
        QTest::newRow("missing row")
            << QStringLiteral("missing") << QStringLiteral("expected line    3:");
        QTest::newRow("extra row")
            << QStringLiteral("extra") << QStringLiteral("actual   line    3:");
        QTest::newRow("column")
            << QStringLiteral("column") << QStringLiteral("actual   line    1:");
        QTest::newRow("NULL") << QStringLiteral("null") << QStringLiteral("| \\N");
    }

    void aChangedRowIsReported()
    {
        // The comparison can fail: a dump with one thing changed differs
        // from the golden file, and the report points at it.
        QFETCH(QString, change);
        QFETCH(QString, reported);
        const Folded& folded = foldedBy(0);
        QVERIFY2(folded.error.isEmpty(), qPrintable(folded.error));
        QStringList rows = folded.views.value(QStringLiteral("customer_stats"));
        QVERIFY(rows.size() > 4);
        QStringList expected;
        QString error;
        const QString file = QStringLiteral("customer_stats.tsv");
        QVERIFY2(readLines(dataDir + u'/' + file, &expected, &error), qPrintable(error));
        QCOMPARE(describeDifference(file, expected, rows), QString());

        if (change == QStringLiteral("value")) {
            QStringList cells = rows[3].split(u'\t');
            cells[5] = QString::number(cells[5].toLongLong() + 1); // total_spent_cents
            rows[3] = cells.join(u'\t');
        } else if (change == QStringLiteral("missing")) {
            rows.removeAt(2);
        } else if (change == QStringLiteral("extra")) {
            rows.insert(2, QStringLiteral("99\tNobody\tNowhere\t0\t0\t0\t0\t\\N"));
        } else if (change == QStringLiteral("column")) {
            rows[0].replace(QStringLiteral("avg_order_cents"), QStringLiteral("average_cents"));
        } else if (change == QStringLiteral("null")) {
            QStringList cells = rows[1].split(u'\t');
            cells.last() = goldenCell(QVariant());
            rows[1] = cells.join(u'\t');
        }
        // One line missing or extra, or one changed (the old and the new).
        const QString diff = describeDifference(file, expected, rows);
        QVERIFY2(diff.startsWith(file + QStringLiteral(": 1 line(s) differ"))
                     || diff.startsWith(file + QStringLiteral(": 2 line(s) differ")),
                 qPrintable(diff));
        QVERIFY2(diff.contains(reported), qPrintable(diff));
    }

    void aBadLineIsReportedWithItsLineNumber_data()
    {
        QTest::addColumn<QByteArray>("second");
        QTest::addColumn<QString>("reason");
        const QByteArray good =
            "{\"position\":2,\"type\":\"ProductAdded\",\"aggregate_id\":1,\"payload\":{},"
            "\"committed_at_ms\":1,\"committed_mono_ns\":1,\"origin\":\"seed\","
            "\"command_id\":\"3f2f0d8a-7c1b-4a9e-8d3e-5b6c7d8e9f01\"}";
        QTest::newRow("not JSON") << good.left(40) << QStringLiteral("not JSON");
        QTest::newRow("not an object") << QByteArray("[2]") << QStringLiteral("not a JSON object");
        QTest::newRow("gap") << QByteArray(good).replace("\"position\":2", "\"position\":3")
                             << QStringLiteral("position 3, expected 2");
        QTest::newRow("type") << QByteArray(good).replace("ProductAdded", "ProductAdd")
                              << QStringLiteral("unknown event type \"ProductAdd\"");
        QTest::newRow("missing field") << QByteArray(good).replace("\"committed_at_ms\":1,", "")
                                       << QStringLiteral("\"committed_at_ms\" is missing");
        QTest::newRow("fraction")
            << QByteArray(good).replace("\"aggregate_id\":1", "\"aggregate_id\":1.5")
            << QStringLiteral("\"aggregate_id\" is missing or not an integer");
        QTest::newRow("payload") << QByteArray(good).replace("{},", "\"{}\",")
                                 << QStringLiteral("\"payload\" is missing or not an object");
        QTest::newRow("origin") << QByteArray(good).replace("\"seed\"", "\"robot\"")
                                << QStringLiteral("unknown origin");
        QTest::newRow("command id") << QByteArray(good).replace("3f2f0d8a-", "")
                                    << QStringLiteral("not a UUID");
    }

    void aBadLineIsReportedWithItsLineNumber()
    {
        QFETCH(QByteArray, second);
        QFETCH(QString, reason);
        QStringList committed;
        QString error;
        QVERIFY2(readLines(fixturePath(), &committed, &error), qPrintable(error));
        QVERIFY(!committed.isEmpty());
        const QString path = m_dir.filePath(QStringLiteral("bad.jsonl"));
        const QStringList lines{committed.first(), QString::fromUtf8(second), committed.first()};
        QVERIFY2(writeLines(path, lines, &error), qPrintable(error));
        EventList events;
        QVERIFY(!loadEventLog(path, &events, &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(":2: ")), qPrintable(error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

private:
    /// The committed fixture, loaded once; nullptr (and m_fixtureError) if it does not load.
    const EventList* fixture()
    {
        if (!m_fixture) {
            EventList events;
            m_fixtureError.clear();
            if (!loadEventLog(fixturePath(), &events, &m_fixtureError))
                return nullptr;
            m_fixture = std::move(events);
        }
        return &*m_fixture;
    }

    /// The fixture folded with `batchSize`, once per batch size.
    const Folded& foldedBy(int batchSize)
    {
        const auto known = m_folds.find(batchSize);
        if (known != m_folds.end())
            return known->second;
        Folded& folded = m_folds[batchSize];
        if (const EventList* events = fixture())
            folded = foldIntoStore(m_dir.filePath(QStringLiteral("views-%1.db").arg(batchSize)),
                                   *events, batchSize);
        else
            folded.error = m_fixtureError;
        return folded;
    }

    QTemporaryDir m_dir;
    std::optional<EventList> m_fixture;
    QString m_fixtureError;
    std::map<int, Folded> m_folds;
    QSet<QString> m_rewritten;
};

QTEST_GUILESS_MAIN(TestProjectionGolden)
#include "tst_projectiongolden.moc"
