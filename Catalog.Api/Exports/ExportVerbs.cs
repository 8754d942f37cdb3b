namespace Catalog.Api.Exports;

/// <summary><c>export run</c>: writes the export bundle once, printing plain progress lines.</summary>
public static class ExportVerbs
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args is not ["export", "run"])
        {
            await Console.Error.WriteLineAsync($"Unknown command: {string.Join(' ', args)}. Known: export run");
            return 2;
        }
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Catalog.Core.Store.CatalogDbContext>().PrepareAsync();
        var count = await app.Services.GetRequiredService<ExportWriter>().RunAsync(line => Console.Error.WriteLine(line));
        Console.WriteLine($"Exported {count} datasets.");
        return 0;
    }
}
