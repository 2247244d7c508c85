#include "ui/mainwindow.h"

#include "ui/checkoutform.h"
#include "util/money.h"

#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace cqrs::ui {

MainWindow::MainWindow(const QString& dataDirectory, QWidget* parent)
    : QMainWindow(parent)
    , m_dataDirectory(dataDirectory)
    , m_bus(std::make_unique<CommandBus>())
{
    setWindowTitle(tr("CQRS Lab"));
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);

    auto* checkout = new QGroupBox(tr("Checkout (write side)"), central);
    auto* checkoutLayout = new QVBoxLayout(checkout);
    m_form = new CheckoutForm(checkout);
    checkoutLayout->addWidget(m_form);
    layout->addWidget(checkout, 3);

    auto* writeSide = new QGroupBox(tr("Write store"), central);
    auto* writeLayout = new QVBoxLayout(writeSide);
    m_counters = new QLabel(writeSide);
    m_counters->setTextFormat(Qt::RichText);
    m_counters->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    writeLayout->addWidget(m_counters);
    layout->addWidget(writeSide, 2);
    setCentralWidget(central);
    resize(1000, 560);

    connect(m_form, &CheckoutForm::placeOrderRequested, this, &MainWindow::submitOrder);
    m_countersTimer.setInterval(250);
    connect(&m_countersTimer, &QTimer::timeout, this, &MainWindow::refreshCounters);

    statusBar()->showMessage(tr("Opening the write store…"));
    QDir().mkpath(m_dataDirectory);
    StoreConfig config;
    config.writeDbPath = QDir(m_dataDirectory).filePath(QStringLiteral("write.db"));
    m_bus->open(config).then(this, [this](const StoreInfo& info) { onStoreOpened(info); });
}

MainWindow::~MainWindow() = default;

void MainWindow::onStoreOpened(const StoreInfo& info)
{
    if (!info.ok) {
        statusBar()->showMessage(tr("The write store could not be opened."));
        m_form->setEnabled(false);
        QMessageBox::critical(this, tr("CQRS Lab"), info.error);
        return;
    }
    statusBar()->showMessage(tr("Write store: %1").arg(m_bus->writeDbPath()));
    refreshCatalog();
    refreshCounters();
    m_countersTimer.start();
}

void MainWindow::refreshCatalog()
{
    m_bus->catalog().then(this, [this](const CatalogSnapshot& catalog) { m_form->setCatalog(catalog); });
}

void MainWindow::submitOrder(const PlaceOrder& order)
{
    m_bus->submit(order).then(this, [this](const CommandResult& result) {
        m_form->showResult(result);
        refreshCatalog();
        refreshCounters();
    });
}

void MainWindow::refreshCounters()
{
    const WriteCounters c = m_bus->counters();
    m_counters->setText(
        tr("<table cellspacing='6'>"
           "<tr><td>Head position</td><td align='right'><b>%1</b></td></tr>"
           "<tr><td>Orders</td><td align='right'>%2</td></tr>"
           "<tr><td>… cancelled</td><td align='right'>%3</td></tr>"
           "<tr><td>Customers</td><td align='right'>%4</td></tr>"
           "<tr><td>Products</td><td align='right'>%5</td></tr>"
           "<tr><td colspan='2'><hr/>This session</td></tr>"
           "<tr><td>Commands accepted</td><td align='right'>%6</td></tr>"
           "<tr><td>Commands rejected</td><td align='right'>%7</td></tr>"
           "<tr><td>Events appended</td><td align='right'>%8</td></tr></table>")
            .arg(formatCount(c.headPosition), formatCount(c.orders), formatCount(c.ordersCancelled),
                 formatCount(c.customers), formatCount(c.products), formatCount(c.commandsAccepted),
                 formatCount(c.commandsRejected), formatCount(c.eventsAppended)));
}

} // namespace cqrs::ui
