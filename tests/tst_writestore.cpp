// The write store file: a fresh one gets the demo data exactly once, an
// existing one is reopened as it was, and files this build must not touch (a
// newer schema, something that is not SQLite at all) are refused with a
// message that says what is wrong, and left as they were.
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {
constexpr qint64 blueMug = 1;
constexpr qint64 notebook = 6;
constexpr qint64 alice = 1;
constexpr qint64 bob = 2;

QJsonObject seedCatalog()
{
    // The same seed file the store loads, compiled into cqrs_core.
    QFile file(QStringLiteral(":/seed/catalog.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Creates an SQLite file with the given user_version through a connection of
// the test's own, closed again before the bus opens the file.
bool createSqliteFile(const QString& path, int userVersion, QString* error, bool wal = false)
{
    const QString name = QStringLiteral("test-create-%1").arg(userVersion);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            ok = (!wal || query.exec(QStringLiteral("PRAGMA journal_mode = WAL")))
                 && query.exec(QStringLiteral("CREATE TABLE future_things (id INTEGER PRIMARY KEY)"))
                 && query.exec(QStringLiteral("PRAGMA user_version = %1").arg(userVersion));
            if (!ok)
                *error = query.lastError().text();
        } else {
            *error = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}
} // namespace

class TestWriteStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshStoreGetsTheDemoData()
    {
        TempStore store;
        const StoreInfo info = store.open();
        QVERIFY2(info.ok, qPrintable(info.error));
        QVERIFY(info.error.isEmpty());
        QVERIFY(info.seeded);
        QCOMPARE(info.counters.products, 20);
        QCOMPARE(info.counters.customers, 50);
        QCOMPARE(info.counters.orders, 0);
        QCOMPARE(info.counters.headPosition, 70);
        QCOMPARE(store.bus().headPosition(), 70);
        QVERIFY(QFile::exists(store.path()));

        StoreReader reader(store.path());
        QCOMPARE(reader.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 1);
        const QList<qint64> positions = reader.positions();
        QCOMPARE(positions.size(), 70);
        for (qsizetype i = 0; i < positions.size(); ++i)
            QCOMPARE(positions[i], i + 1);
        // Products first, then customers, all from the seed origin.
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'ProductAdded' "
                                              "AND position BETWEEN 1 AND 20"))
                     .toInt(),
                 20);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM events WHERE type = "
                                              "'CustomerRegistered' AND position BETWEEN 21 AND 70"))
                     .toInt(),
                 50);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM events WHERE origin <> 'seed'")).toInt(), 0);
        QCOMPARE(reader.count(QStringLiteral("processed_commands")), 70);

        // The tables hold exactly the seed file's catalog.
        const QJsonObject seed = seedCatalog();
        const QJsonArray products = seed.value(QStringLiteral("products")).toArray();
        const QJsonArray customers = seed.value(QStringLiteral("customers")).toArray();
        QCOMPARE(products.size(), 20);
        QCOMPARE(customers.size(), 50);
        const QList<QVariantList> productRows = reader.rows(QStringLiteral(
            "SELECT sku, name, category, price_cents, stock, discontinued, version FROM products ORDER BY id"));
        QCOMPARE(productRows.size(), products.size());
        for (qsizetype i = 0; i < products.size(); ++i) {
            const QJsonObject p = products[i].toObject();
            QCOMPARE(productRows[i],
                     (QVariantList{p.value(QStringLiteral("sku")).toString(),
                                   p.value(QStringLiteral("name")).toString(),
                                   p.value(QStringLiteral("category")).toString(),
                                   p.value(QStringLiteral("price_cents")).toInteger(),
                                   p.value(QStringLiteral("stock")).toInt(), 0, 1}));
        }
        const QList<QVariantList> customerRows =
            reader.rows(QStringLiteral("SELECT name, email, city FROM customers ORDER BY id"));
        QCOMPARE(customerRows.size(), customers.size());
        for (qsizetype i = 0; i < customers.size(); ++i) {
            const QJsonObject c = customers[i].toObject();
            QCOMPARE(customerRows[i], (QVariantList{c.value(QStringLiteral("name")).toString(),
                                                    c.value(QStringLiteral("email")).toString(),
                                                    c.value(QStringLiteral("city")).toString()}));
        }
    }

    void storeWithoutDemoData()
    {
        TempStore store(false);
        const StoreInfo info = store.open();
        QVERIFY2(info.ok, qPrintable(info.error));
        QVERIFY(!info.seeded);
        QCOMPARE(info.counters.products, 0);
        QCOMPARE(info.counters.headPosition, 0);
        // The first event of an empty log is position 1.
        const CommandResult added = store.run(AddProduct{testMeta(), QStringLiteral("X-1"), QStringLiteral("Thing"),
                                                         QStringLiteral("Misc"), 100, 5});
        QVERIFY2(added.accepted(), qPrintable(added.reason));
        QCOMPARE(added.firstPosition, 1);
        QCOMPARE(added.entityId, 1);
    }

    void reopeningKeepsEverything()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        const PlaceOrder kept = order(alice, {line(blueMug, 4), line(notebook, 1)});
        const CommandResult placed = store.run(kept);
        QVERIFY(placed.accepted());
        const CommandResult other = store.run(order(bob, {line(notebook, 2)}));
        QVERIFY(other.accepted());
        QVERIFY(store.run(CancelOrder{testMeta(), other.entityId, QStringLiteral("test")}).accepted());
        QVERIFY(store.run(ChangeProductPrice{testMeta(), blueMug, 999, QStringLiteral("test"), 1}).accepted());
        QVERIFY(store.run(RegisterCustomer{testMeta(), QStringLiteral("Zoe"), QStringLiteral("zoe@example.org"), {}})
                    .accepted());
        const WriteCounters before = store.bus().counters();
        StoreSnapshot snapshotBefore;
        {
            StoreReader reader(store.path());
            snapshotBefore = reader.snapshot();
        }
        store.closeBus();

        // A new bus on the same file: same counters, same rows, no reseeding.
        const StoreInfo info = store.open();
        QVERIFY2(info.ok, qPrintable(info.error));
        QVERIFY(!info.seeded);
        QCOMPARE(info.counters.headPosition, before.headPosition);
        QCOMPARE(info.counters.customers, before.customers);
        QCOMPARE(info.counters.products, before.products);
        QCOMPARE(info.counters.orders, before.orders);
        QCOMPARE(info.counters.ordersCancelled, before.ordersCancelled);
        QCOMPARE(info.counters.customers, 51);
        QCOMPARE(info.counters.orders, 2);
        QCOMPARE(info.counters.ordersCancelled, 1);
        QCOMPARE(store.bus().headPosition(), before.headPosition);
        StoreReader reader(store.path());
        const StoreSnapshot snapshotAfter = reader.snapshot();
        for (const QString& table : writeTables())
            QCOMPARE(snapshotAfter.value(table), snapshotBefore.value(table));

        // Idempotency survives the restart: the old command id is replayed.
        const CommandResult replayed = store.run(kept);
        QVERIFY(replayed.accepted());
        QVERIFY(replayed.duplicate);
        QCOMPARE(replayed.entityId, placed.entityId);
        QCOMPARE(replayed.firstPosition, placed.firstPosition);
        // New work continues the log where it stopped.
        const CommandResult next = store.run(order(alice, {line(notebook, 1)}));
        QVERIFY(next.accepted());
        QCOMPARE(next.firstPosition, before.headPosition + 1);
        QCOMPARE(reader.count(QStringLiteral("orders")), 3);
    }

    void newerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("write.db"));
        QString error;
        QVERIFY2(createSqliteFile(path, 99, &error), qPrintable(error));

        CommandBus bus;
        StoreConfig config;
        config.writeDbPath = path;
        const StoreInfo info = await(bus.open(config));
        QVERIFY(!info.ok);
        QVERIFY2(info.error.contains(QStringLiteral("newer")), qPrintable(info.error));
        QVERIFY2(info.error.contains(QStringLiteral("99")), qPrintable(info.error));
        QVERIFY2(info.error.contains(path), qPrintable(info.error));
        // Commands cannot hang on a store that never opened.
        const CommandResult result = await(bus.submit(order(alice, {line(blueMug, 1)})));
        QCOMPARE(statusName(result.status), statusName(CommandResult::Status::Failed));
        QVERIFY2(result.reason.contains(QStringLiteral("newer")), qPrintable(result.reason));
        QVERIFY(!await(bus.catalog()).error.isEmpty());
        bus.close();

        // Nothing was migrated or seeded into the newer file.
        StoreReader reader(path);
        QCOMPARE(reader.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 99);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT group_concat(name) FROM sqlite_master")).toString(),
                 QStringLiteral("future_things"));
    }

    void newerSchemaIsRefusedBeforeAnythingWrites_data()
    {
        QTest::addColumn<bool>("fileInWal");
        QTest::addColumn<int>("openedAs");
        QTest::newRow("WAL file, opened for CRUD") << true << int(JournalMode::Rollback);
        QTest::newRow("rollback file, opened for CQRS") << false << int(JournalMode::WriteAheadLog);
    }

    void newerSchemaIsRefusedBeforeAnythingWrites()
    {
        // Switching the journal rewrites the file's header: the version check comes first.
        QFETCH(bool, fileInWal);
        QFETCH(int, openedAs);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("write.db"));
        QString error;
        QVERIFY2(createSqliteFile(path, 99, &error, fileInWal), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();

        CommandBus bus;
        StoreConfig config;
        config.writeDbPath = path;
        config.journal = JournalMode(openedAs);
        const StoreInfo info = await(bus.open(config));
        QVERIFY(!info.ok);
        QVERIFY2(info.error.contains(QStringLiteral("newer")) && info.error.contains(path),
                 qPrintable(info.error));
        bus.close();

        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before); // byte for byte: its journal mode included
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) || fileInWal);
    }

    void fileThatIsNotSqliteIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("write.db"));
        QByteArray text;
        for (int i = 0; i < 200; ++i)
            text += "These are someone's notes, not a database.\n";
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QCOMPARE(file.write(text), text.size());
        }

        CommandBus bus;
        StoreConfig config;
        config.writeDbPath = path;
        const StoreInfo info = await(bus.open(config));
        QVERIFY(!info.ok);
        QVERIFY2(info.error.contains(path), qPrintable(info.error));
        QVERIFY2(info.error.contains(QStringLiteral("not a"), Qt::CaseInsensitive), qPrintable(info.error));
        QCOMPARE(statusName(await(bus.submit(order(alice, {line(blueMug, 1)}))).status),
                 statusName(CommandResult::Status::Failed));
        bus.close();

        // The file is left exactly as it was.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), text);
    }

    void missingDirectoryGivesAClearError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/dir/write.db"));
        CommandBus bus;
        StoreConfig config;
        config.writeDbPath = path;
        const StoreInfo info = await(bus.open(config));
        QVERIFY(!info.ok);
        QVERIFY2(info.error.contains(path), qPrintable(info.error));
        bus.close();
    }
};

QTEST_GUILESS_MAIN(TestWriteStore)
#include "tst_writestore.moc"
