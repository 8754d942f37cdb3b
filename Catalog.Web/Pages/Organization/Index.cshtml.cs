using Catalog.Web.Hosting;

namespace Catalog.Web.Pages.Organization;

public sealed class IndexModel : GroupPageModel
{
    protected override string Kind => "organization";
}
