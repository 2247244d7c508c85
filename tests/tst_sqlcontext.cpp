// SqlContext::statement(): the projections' per-event statements on SQLite's
// C API, through the handle of the context's QSQLITE connection, next to the
// QSqlQuery statements (prepared(), exec()) on the same connection.
#include "projections/projection.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;

class TestSqlContext final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QString m_name = QStringLiteral("sqlcontext");

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    static QVariant scalar(const QSqlDatabase& db, const QString& sql)
    {
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("%1.db").arg(QLatin1StringView(QTest::currentTestFunction())));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral(
            "CREATE TABLE rv_items (id INTEGER PRIMARY KEY, name TEXT, n INTEGER NOT NULL)")));
    }

    void cleanup()
    {
        // Every SqlContext of a test is gone by now: its statements are
        // finalized, so the connection closes for real.
        QSqlDatabase db = this->db();
        db.close();
        // With a statement left, sqlite3_close() refuses and Qt says so.
        QVERIFY2(!db.lastError().isValid(), qPrintable(db.lastError().text()));
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }

    void aLiteralIsPreparedOnceAndKept()
    {
        SqlContext sql(db());
        SqliteStatement& first = sql.statement(QStringLiteral("INSERT INTO rv_items (id, n) VALUES (?, ?)"));
        QVERIFY(first.isValid());
        SqliteStatement* again = nullptr;
        for (int i = 1; i <= 3; ++i) {
            SqliteStatement& insert = sql.statement(QStringLiteral("INSERT INTO rv_items (id, n) VALUES (?, ?)"));
            again = &insert;
            QString error;
            QVERIFY2(insert.bind(1, i).bind(2, i * 10).exec(&error), qPrintable(error));
        }
        QCOMPARE(again, &first);
        // The same text built at run time finds the same statement.
        const QString built = QStringLiteral("INSERT INTO rv_items (id, n) ") + QStringLiteral("VALUES (?, ?)");
        QCOMPARE(&sql.statement(built), &first);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT SUM(n) FROM rv_items")).toLongLong(), 60);
    }

    void textIsStoredAsQSqlQueryStoresIt()
    {
        const QString name = QStringLiteral("Zoë \"Kruzhka\" 😀 'x'");
        SqlContext sql(db());
        QSqlQuery& viaQt = sql.prepared(QStringLiteral("INSERT INTO rv_items (id, name, n) VALUES (?, ?, 0)"));
        SqliteStatement& viaC = sql.statement(QStringLiteral("INSERT INTO rv_items (id, name, n) VALUES (?, ?, 0)"));
        QString error;
        const QList<QString> values{name, QString(), QStringLiteral("")};
        qint64 id = 0;
        for (const QString& value : values) {
            viaQt.addBindValue(++id);
            viaQt.addBindValue(value);
            QVERIFY2(sql.exec(viaQt, &error), qPrintable(error));
            QVERIFY2(viaC.bind(1, ++id).bindTextOrNull(2, value).exec(&error), qPrintable(error));
        }
        QSqlQuery rows(db());
        QVERIFY(rows.exec(QStringLiteral("SELECT id, quote(name), name FROM rv_items ORDER BY id")));
        for (qsizetype i = 0; i < values.size(); ++i) {
            QVERIFY(rows.next());
            const QString qt = rows.value(1).toString();
            QVERIFY(rows.next());
            QCOMPARE(rows.value(1).toString(), qt); // same type, same bytes
            QCOMPARE(rows.value(2).toString(), values[i]);
        }
        QCOMPARE(scalar(db(), QStringLiteral("SELECT COUNT(*) FROM rv_items WHERE name IS NULL")).toInt(), 2);
    }

    void readsRowsAndResets()
    {
        SqlContext sql(db());
        QString error;
        QVERIFY(sql.exec(QStringLiteral("INSERT INTO rv_items (id, n) VALUES (7, 5000000000)"), &error));
        SqliteStatement& select = sql.statement(QStringLiteral("SELECT n, name FROM rv_items WHERE id = ?"));
        QCOMPARE(select.bind(1, 7).step(), SqliteStatement::Step::Row);
        QCOMPARE(select.int64(0), Q_INT64_C(5000000000));
        QVERIFY(select.isNull(1));
        QVERIFY(!select.isNull(0));
        select.reset();
        QCOMPARE(select.bind(1, 8).step(), SqliteStatement::Step::Done);
        select.reset();
        // Nothing left open: a schema change on the connection goes through.
        QVERIFY2(sql.exec(QStringLiteral("CREATE TABLE rv_other (x)"), &error), qPrintable(error));
    }

    void aStatementThatFailsToPrepareIsTriedAgain()
    {
        SqlContext sql(db());
        QString error;
        SqliteStatement& early = sql.statement(QStringLiteral("INSERT INTO rv_later (x) VALUES (?)"));
        QVERIFY(!early.isValid());
        QVERIFY(!early.bind(1, 1).exec(&error));
        // The message names SQLite's error and the statement.
        QVERIFY2(error.contains(QStringLiteral("no such table: rv_later")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("INSERT INTO rv_later (x) VALUES (?)")), qPrintable(error));

        QVERIFY2(sql.exec(QStringLiteral("CREATE TABLE rv_later (x INTEGER)"), &error), qPrintable(error));
        SqliteStatement& later = sql.statement(QStringLiteral("INSERT INTO rv_later (x) VALUES (?)"));
        QVERIFY(later.isValid());
        QVERIFY2(later.bind(1, 42).exec(&error), qPrintable(error));
        QCOMPARE(scalar(db(), QStringLiteral("SELECT x FROM rv_later")).toInt(), 42);
    }

    void failuresNameTheStatement()
    {
        SqlContext sql(db());
        SqliteStatement& insert = sql.statement(QStringLiteral("INSERT INTO rv_items (id, n) VALUES (?, ?)"));
        QString error;
        QVERIFY2(insert.bind(1, 1).bind(2, 1).exec(&error), qPrintable(error));
        QVERIFY(!insert.bind(1, 1).bind(2, 1).exec(&error));
        QVERIFY2(error.contains(QStringLiteral("UNIQUE constraint failed: rv_items.id")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("INSERT INTO rv_items")), qPrintable(error));
        // Reset after the failure: usable again.
        QVERIFY2(insert.bind(1, 2).bind(2, 2).exec(&error), qPrintable(error));
    }

    void savepointsOfTheContextCoverItsStatements()
    {
        SqlContext sql(db());
        QString error;
        QVERIFY(sql.exec(QStringLiteral("BEGIN"), &error));
        SqliteStatement& insert = sql.statement(QStringLiteral("INSERT INTO rv_items (id, n) VALUES (?, ?)"));
        QVERIFY2(insert.bind(1, 1).bind(2, 1).exec(&error), qPrintable(error));
        QVERIFY(sql.exec(QStringLiteral("SAVEPOINT view"), &error));
        QVERIFY2(insert.bind(1, 2).bind(2, 2).exec(&error), qPrintable(error));
        QVERIFY(sql.exec(QStringLiteral("ROLLBACK TO view"), &error));
        QVERIFY(sql.exec(QStringLiteral("RELEASE view"), &error));
        QVERIFY2(sql.exec(QStringLiteral("COMMIT"), &error), qPrintable(error));
        QCOMPARE(scalar(db(), QStringLiteral("SELECT COUNT(*) FROM rv_items")).toInt(), 1);
    }

    void theSchemaQualifiesReadTables()
    {
        // As the inline hook's context on the write connection: main has an
        // rv_items of its own, the read store is attached as "readstore".
        const QString attached = m_dir.filePath(QStringLiteral("attached.db"));
        QFile::remove(attached);
        QSqlQuery attach(db());
        attach.prepare(QStringLiteral("ATTACH DATABASE ? AS readstore"));
        attach.addBindValue(attached);
        QVERIFY2(attach.exec(), qPrintable(attach.lastError().text()));
        QVERIFY(attach.exec(QStringLiteral(
            "CREATE TABLE readstore.rv_items (id INTEGER PRIMARY KEY, name TEXT, n INTEGER NOT NULL)")));
        {
            SqlContext sql(db());
            sql.setSchema(QStringLiteral("readstore"));
            QString error;
            SqliteStatement& insert =
                sql.statement(QStringLiteral("INSERT INTO rv_items (id, name, n) VALUES (?, ?, ?)"));
            QVERIFY2(insert.bind(1, 1).bindTextOrNull(2, QStringLiteral("attached")).bind(3, 1).exec(&error),
                     qPrintable(error));
            SqliteStatement& select = sql.statement(QStringLiteral("SELECT name FROM rv_items WHERE id = ?"));
            QCOMPARE(select.bind(1, 1).step(), SqliteStatement::Step::Row);
            QCOMPARE(QString::fromUtf8(select.text(0)), QStringLiteral("attached"));
            select.reset();
        }
        QCOMPARE(scalar(db(), QStringLiteral("SELECT COUNT(*) FROM main.rv_items")).toInt(), 0);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT COUNT(*) FROM readstore.rv_items")).toInt(), 1);
        // The context's statements are finalized: DETACH is not refused.
        QVERIFY2(attach.exec(QStringLiteral("DETACH DATABASE readstore")), qPrintable(attach.lastError().text()));
    }

    void fts5WorksThroughTheCApi()
    {
        SqlContext sql(db());
        QString error;
        QVERIFY2(sql.exec(QStringLiteral("CREATE VIRTUAL TABLE rv_search USING fts5(kind UNINDEXED, "
                                         "title, body, tokenize = 'unicode61 remove_diacritics 2')"),
                          &error),
                 qPrintable(error));
        SqliteStatement& insert =
            sql.statement(QStringLiteral("INSERT INTO rv_search (rowid, kind, title, body) VALUES (?, ?, ?, ?)"));
        QVERIFY2(insert.bind(1, 5)
                     .bindTextOrNull(2, QStringLiteral("order"))
                     .bindTextOrNull(3, QStringLiteral("Order #1"))
                     .bindTextOrNull(4, QStringLiteral("Zoë Café"))
                     .exec(&error),
                 qPrintable(error));
        SqliteStatement& append =
            sql.statement(QStringLiteral("UPDATE rv_search SET body = body || ' ' || ? WHERE rowid = ?"));
        QVERIFY2(append.bindTextOrNull(1, QStringLiteral("cancelled")).bind(2, 5).exec(&error), qPrintable(error));
        QCOMPARE(scalar(db(), QStringLiteral("SELECT body FROM rv_search WHERE rv_search MATCH 'cafe'")).toString(),
                 QStringLiteral("Zoë Café cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestSqlContext)
#include "tst_sqlcontext.moc"
