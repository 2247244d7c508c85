#pragma once

#include "read/queryresults.h"
#include "ui/rowtablemodel.h"

namespace cqrs::ui {

struct SearchRow {
    SearchHit hit;
    qint64 key = 0;

    friend bool operator==(const SearchRow& a, const SearchRow& b) {
        return a.key == b.key && a.hit.title == b.hit.title && a.hit.body == b.hit.body;
    }
};

/// Hits from the SearchIndex view (orders, customers, products).
class SearchResultsModel final : public RowTableModel<SearchRow> {
public:
    explicit SearchResultsModel(QObject* parent = nullptr);
    void applyResult(const SearchResult& result);
    /// The order a row's key (KeyRole) stands for, or 0 for a customer or product.
    static qint64 orderIdOfKey(qint64 key);
};

} // namespace cqrs::ui
