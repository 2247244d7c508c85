#include "ui/searchresultsmodel.h"

namespace cqrs::ui {

namespace {
constexpr auto left = Qt::AlignLeft | Qt::AlignVCenter;
qint64 kindRank(const QString& kind) {
    return kind == QStringLiteral("order") ? 0 : kind == QStringLiteral("customer") ? 1 : 2;
}
} // namespace

SearchResultsModel::SearchResultsModel(QObject* parent)
    : RowTableModel<SearchRow>(
          [](const SearchRow& r) { return r.key; },
          {
              {tr("Kind"), [](const SearchRow& r) { return r.hit.kind; }, {}, left, {}},
              {tr("Title"), [](const SearchRow& r) { return r.hit.title; }, {}, left, {}},
              {tr("Details"), [](const SearchRow& r) { return r.hit.body; }, {}, left, {}},
          },
          parent) {}

qint64 SearchResultsModel::orderIdOfKey(qint64 key) {
    return key % 4 == kindRank(QStringLiteral("order")) ? key / 4 : 0;
}

void SearchResultsModel::applyResult(const SearchResult& result) {
    QList<SearchRow> rows;
    rows.reserve(result.hits.size());
    for (const SearchHit& hit : result.hits)
        rows.append({hit, hit.ref * 4 + kindRank(hit.kind)});
    setRows(rows);
}

} // namespace cqrs::ui
