namespace Catalog.Tests.Infrastructure;

/// <summary>
/// Base of the tests that talk to a real catalog: one host per test class, with a sysadmin client, an anonymous
/// client and the fixtures builder; the class arranges what its tests share once, through the API. A class given
/// <c>[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]</c> and a <see cref="TestStore"/> constructor
/// parameter runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class CatalogApiTests(TestStore store = TestStore.Sqlite)
{
    protected TestStore Store => store;

    protected CatalogHost Host { get; private set; } = null!;
    protected CkanClient Admin { get; private set; } = null!;
    protected CkanClient Anon { get; private set; } = null!;
    protected CatalogFixtures Fixtures { get; private set; } = null!;

    /// <summary>The host for this class: override to change its settings or services.</summary>
    protected virtual CatalogHost CreateHost() => new(store: store);

    /// <summary>What every test of the class needs, created once.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task StartCatalog()
    {
        Host = CreateHost();
        Admin = Host.Sysadmin();
        Anon = Host.Client();
        Fixtures = new CatalogFixtures(Host);
        await ArrangeAsync();
    }

    [OneTimeTearDown]
    public void StopCatalog()
    {
        Admin.Dispose();
        Anon.Dispose();
        Host.Dispose();
    }
}
