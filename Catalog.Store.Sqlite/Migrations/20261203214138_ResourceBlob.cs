using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ResourceBlob : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BlobSha256",
                table: "resource",
                type: "TEXT",
                nullable: true);

            // Existing uploads keep their file only where "hash" still looks like what the store computed; a hash an
            // editor changed since can not be told apart from a real one, but it names no file in the resource's folder.
            migrationBuilder.Sql("""
                UPDATE "resource" SET "BlobSha256" = "Hash"
                WHERE "UrlType" = 'upload' AND length("Hash") = 64 AND "Hash" NOT GLOB '*[^0-9a-f]*'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BlobSha256",
                table: "resource");
        }
    }
}
