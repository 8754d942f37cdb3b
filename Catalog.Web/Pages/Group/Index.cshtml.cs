using Catalog.Web.Hosting;

namespace Catalog.Web.Pages.Group;

public sealed class IndexModel : GroupPageModel
{
    protected override string Kind => "group";
}
