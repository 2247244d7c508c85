#pragma once

#include <QHash>
#include <QSqlQuery>
#include <QString>

#include <memory>

namespace cqrs {

class SqlConnection;

/// The QSqlQuery statements of the write connection, prepared on first use
/// and kept by their SQL text. Every command but PlaceOrder (which runs on
/// SQLite's C API) takes its statements from here.
class PreparedQueries final
{
public:
    /// `connection` must outlive this object and every query it hands out.
    explicit PreparedQueries(const SqlConnection& connection);
    ~PreparedQueries();
    PreparedQueries(const PreparedQueries&) = delete;
    PreparedQueries& operator=(const PreparedQueries&) = delete;

    /// The statement for `sql`. One that fails to prepare is not kept: its
    /// exec() reports the error, and the next call prepares it again.
    QSqlQuery& prepared(const QString& sql);
    /// Executes `query`; false and the driver's message in *error on failure.
    bool run(QSqlQuery& query, QString* error);

private:
    const SqlConnection& m_connection;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_queries;
    std::shared_ptr<QSqlQuery> m_failed; // the last one that did not prepare
};

} // namespace cqrs
