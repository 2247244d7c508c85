#pragma once

// What a scripted session answers in the window tests: three customers, two
// products, and a snapshot with every projection at one checkpoint.
#include "fakelabsession.h"
#include "lab/labsession.h"

#include <QStringList>

namespace cqrs::test {

inline CustomerStatsResult threeCustomers(qint64 position) {
    CustomerStatsResult result;
    result.meta.position = position;
    for (qint64 id : {1, 2, 3}) {
        CustomerStatsRow row;
        row.customerId = id;
        row.name = QStringList{QStringLiteral("Alice Andersen"), QStringLiteral("Bob Brown"),
                               QStringLiteral("Carla Cruz")}
                       .at(id - 1);
        result.rows.append(row);
    }
    return result;
}

inline ProductSalesResult twoProducts(qint64 position) {
    ProductSalesResult result;
    result.meta.position = position;
    for (qint64 id : {10, 11}) {
        ProductSalesRow row;
        row.productId = id;
        row.sku = QStringLiteral("SKU-%1").arg(id);
        row.name = id == 10 ? QStringLiteral("Blue Mug") : QStringLiteral("Green Tea");
        row.priceCents = id == 10 ? 850 : 420;
        row.stock = 50;
        result.rows.append(row);
    }
    return result;
}

inline LagSnapshot snapshotAt(qint64 head, qint64 checkpoint) {
    LagSnapshot snapshot;
    snapshot.head = head;
    snapshot.write.headPosition = head;
    for (const char* name :
         {"order_summary", "customer_stats", "product_sales", "revenue_timeline", "search_index"}) {
        ProjectionLag lag;
        lag.status.name = QLatin1String(name);
        lag.status.title = QLatin1String(name);
        lag.status.state = ProjectionState::Live;
        lag.status.checkpoint = checkpoint;
        lag.eventsBehind = head - checkpoint;
        snapshot.projections.append(lag);
    }
    return snapshot;
}

/// The session says it holds three customers and two products at position
/// 80, as a real lab does: its views advanced, and a snapshot follows.
inline void scriptDemoViews(FakeLabSession* fake)
{
    fake->customers = threeCustomers(80);
    fake->products = twoProducts(80);
    fake->sendAdvance(QStringLiteral("customer_stats"), 80, false);
    fake->sendAdvance(QStringLiteral("product_sales"), 80, false);
    fake->sendSnapshot(snapshotAt(80, 80));
}

} // namespace cqrs::test
